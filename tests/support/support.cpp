// placeholder to keep the support library non-empty
