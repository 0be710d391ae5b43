"""HTTP for people: the staff and manager web app (server-rendered pages, htmx, PWA) under /."""
