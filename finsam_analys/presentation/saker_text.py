"""Text i rapporten som säker HTML: Markdown utan rå HTML, utan bilder och utan länkar.

Rapportens löptext byggs av biblioteket men innehåller förbundets egna etiketter (insatser,
kommuner, inriktningar, förbundets namn). En etikett som ``<script>…</script>``,
``"><img src=x onerror=…>``, ``![](https://…)`` eller ``[x](javascript:…)`` får aldrig bli
aktivt innehåll. Därför renderas Markdown här, inte av nbconvert (som släpper igenom rå HTML
och gör adresser till länkar):

* rå HTML skrivs som text (``&lt;script&gt;``);
* bilder blir sin alt-text, länkar sin länktext (rapporten gör själv inga länkar i löptext, och
  en rapport som öppnas offline ska inte hämta något);
* resten (stycken, fetstil, kursiv, listor, rubriker, tabeller) blir vanlig HTML.

>>> markdown_som_html("**Team** <script>alert(1)</script>")
'<p><strong>Team</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\\n'
>>> markdown_som_html("![x](https://example.org/a.png) [klick](javascript:alert(1))")
'<p>x klick</p>\\n'
"""

from __future__ import annotations

import functools
import html

__all__ = ["markdown_som_html"]


@functools.cache
def _markdown():
    import mistune

    class SakerRenderare(mistune.HTMLRenderer):
        """HTML utan bilder, länkar och rå HTML (allt sådant blir text)."""

        def __init__(self) -> None:
            super().__init__(escape=True, allow_harmful_protocols=False)

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return text  # alt-texten, redan escapad av tolken

        def link(self, text: str, url: str, title: str | None = None) -> str:
            return text

        def inline_html(self, html_text: str) -> str:
            return html.escape(html_text)

        def block_html(self, html_text: str) -> str:
            return "<p>" + html.escape(html_text.strip()) + "</p>\n"

    return mistune.create_markdown(
        renderer=SakerRenderare(), escape=True, plugins=["strikethrough", "table"]
    )


def markdown_som_html(text: str, *, liten: bool = False) -> str:
    """Markdown -> säker HTML (se modulens text); ``liten`` ger mindre text (fotnoter).

    Examples
    --------
    >>> markdown_som_html("- a\\n- b")
    '<ul>\\n<li>a</li>\\n<li>b</li>\\n</ul>\\n'
    >>> markdown_som_html('"><img src=x onerror=alert(1)>', liten=True)
    '<div style="font-size: 85%"><p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>\\n</div>'
    """
    ut = str(_markdown()(str(text)))
    return f'<div style="font-size: 85%">{ut}</div>' if liten else ut
