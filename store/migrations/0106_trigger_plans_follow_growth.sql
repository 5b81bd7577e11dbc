-- Trigger queries are planned afresh on every call, and never JIT-compiled.
--
-- PL/pgSQL keeps a plan per connection. A plan made while `receipts` was
-- nearly empty stays in use as the table grows, until something invalidates
-- it (an ANALYZE, a schema change). Measured on a fresh schema:
-- series_counter_filled's count over a number range was planned as a walk
-- of receipts_edge_newest, every receipt of the agency, so each commit got
-- slower with each receipt stored (group issuance fell from 1,300 to 400
-- receipts/s in 8 seconds). A plan made for each call costs a fraction of a
-- millisecond per transaction or statement, not per row, and follows the
-- table as it grows.
--
-- Before the first ANALYZE of a table that has just taken a bulk load, the
-- planner's cost estimates for these small statements can pass
-- jit_above_cost, and compiling them took 15 ms per call, for a 16-row
-- group whose work takes 0.3 ms (group issuance fell from 4,800 to 750
-- receipts/s until autovacuum analyzed the tables). Their work is per row
-- and small; compiling never pays.

ALTER FUNCTION series_counter_filled() SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION series_counter_filled() SET jit = off;
ALTER FUNCTION receipt_search_from_receipts() SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION receipt_search_from_receipts() SET jit = off;
ALTER FUNCTION receipt_search_from_receipt_updates() SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION receipt_search_from_receipt_updates() SET jit = off;
ALTER FUNCTION receipt_search_forget_deleted() SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION receipt_search_forget_deleted() SET jit = off;
ALTER FUNCTION receipts_audit_insert() SET jit = off;
ALTER FUNCTION receipts_audit_update() SET jit = off;
ALTER FUNCTION receipts_audit_delete() SET jit = off;
ALTER FUNCTION annotations_audit() SET jit = off;
