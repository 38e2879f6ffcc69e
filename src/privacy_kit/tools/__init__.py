"""Tools around a built site: building, serving as hosts do, Chromium, preview, bench, audit."""
