"""The privacy policy: its published versions (model), redlines, history, feeds and notices."""
