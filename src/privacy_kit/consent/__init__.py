"""Cookie consent: the declaration, the banner's data, the providers, the consent archive."""
