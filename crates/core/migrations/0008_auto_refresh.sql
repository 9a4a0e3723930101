-- Auto-refresh (while the app runs): grants refreshed before they expire.
ALTER TABLE grants ADD COLUMN auto_refresh INTEGER NOT NULL DEFAULT 0;
