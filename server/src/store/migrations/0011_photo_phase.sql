-- A problem's photo says which side of the 整改 it shows: 'before' (整改前, as found) or 'after'
-- (整改后, the fix, attached with or after the answer). '' for other items' photos and for a
-- problem's photos attached before this column (the web places those by the answer's time).
ALTER TABLE photos ADD COLUMN phase TEXT NOT NULL DEFAULT '';
