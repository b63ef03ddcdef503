"""The e-mail channel's own rules: addresses, reply tokens, reply trimming, HTML to text, connecting SMTP.

Pure Python over the standard library (`email.utils` for address syntax); the SMTP conversation and
RFC 5322 parsing live in adapters/email.
"""
