"""The feedback survey: a retailer rates a resolved RMA; staff read the results.

``rules`` says which RMAs are asked about and how long an answer may be changed,
``operations`` writes answers and the invitation, ``queries`` reads them (the RMA page's
panel and the staff summary, which staff read under analytics: ``portal.analytics.feedback``),
``summary_csv`` is that summary's export.
The retailer's survey form is a page of the RMA (``portal.rmas.views_feedback``).
"""
