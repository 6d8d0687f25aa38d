// Placeholder so the library target exists; providers land here (issues 4-6).
