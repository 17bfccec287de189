"""The portal CA's public endpoints: its certificate, its CRL and its OCSP responder."""
