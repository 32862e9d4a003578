"""Placeholder: commands of this group are added by their module owner."""
