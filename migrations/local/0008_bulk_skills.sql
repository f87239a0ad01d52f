-- The job's skills each screened candidate shows and lacks (JSON {"matched": [...],
-- "missing": [...]}), for the Screening table and its must-have filter. Empty for candidates
-- ranked before this column existed until their batch is ranked again.
ALTER TABLE bulk_candidate ADD COLUMN skills_json TEXT;
