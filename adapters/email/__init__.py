"""E-mail over the property's own SMTP server (aiosmtplib), and inbound RFC 5322 messages (stdlib `email`)."""
