// Placeholder so the library target exists; the SigV4 signer lands here (issue 2).
