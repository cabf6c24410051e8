"""Indata: läsa förbundets filer, validera dem och hålla dem som ett :class:`Underlag`.

Allt som läses går genom personnummerspärren; kodlistor och etiketter finns på ett ställe.
"""
