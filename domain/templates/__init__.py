"""WhatsApp message templates: their shape, Meta's approval rules, placeholders, rendering and pricing."""
