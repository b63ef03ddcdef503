"""Saved replies: short texts staff insert from the composer, rendered for the conversation's guest."""
