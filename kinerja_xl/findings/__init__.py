"""Findings: the registry of codes (what each finding means) and the Issue/Report every check returns."""
