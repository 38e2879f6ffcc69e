"""Developer tools around a built site: the bench, Lighthouse, screenshots."""
