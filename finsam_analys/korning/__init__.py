"""Körning: papermill per förbund och period, förvärmda kärnor och rapportens utdatafiler."""
