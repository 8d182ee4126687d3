import re


def test_every_response_says_how_long_the_app_took(client):
    for path in ("/login", "/does-not-exist"):
        header = client.get(path).headers["Server-Timing"]
        assert re.fullmatch(r"app;dur=\d+\.\d", header), header
