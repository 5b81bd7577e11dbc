-- What an official document (Decree 30/2020/NĐ-CP) prints that the store did
-- not hold: the agency's parent body (the line above its name in the heading),
-- the place named before the date, and the title (chức vụ) an approver signs
-- under. All optional: a receipt PDF leaves out what is not known rather than
-- printing a login id in its place.
ALTER TABLE agencies ADD COLUMN parent_name text CHECK (parent_name IS NULL OR length(parent_name) BETWEEN 1 AND 200);
ALTER TABLE agencies ADD COLUMN place text CHECK (place IS NULL OR length(place) BETWEEN 1 AND 100);
ALTER TABLE officers ADD COLUMN title text CHECK (title IS NULL OR length(title) BETWEEN 1 AND 120);
