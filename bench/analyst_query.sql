-- The default model (models/default.toml) as an analyst would write it in DuckDB: one query
-- that computes each lead's six dimensions from leads.csv and events.csv and COPYs one row per
-- lead to CSV. It is the speed yardstick for `leadrank score --format csv`; it is NOT an exact
-- port (bench/default_model.sql is the exact one, used to check agreement). Where the model
-- uses a fact that needs a library, the analyst approximates it:
--
--   phone_valid     7 to 15 digits after removing everything else (no numbering plans)
--   seniority       a title word such as director, head, vp, chief, ceo, founder, president
--   email kind      a plain syntax check, then the free-mail and disposable domain lists
--                   (the same list files leadrank uses), else corporate
--   gibberish name  a keyboard walk, a digit, or a word of four letters or more without a vowel
--   country         a CASE over the common spellings of the ICP countries
--
-- Everything else follows the model: windows back from T, events after T ignored, event ids
-- counted once where it matters (form bursts), dimension caps, penalties uncapped.
--
-- Variables (SET VARIABLE before running; bench/analyst.py does it): as_of (RFC 3339),
-- leads_path, events_path, free_mail_path, disposable_path, out_path.
SET TimeZone = 'UTC';

CREATE OR REPLACE TEMP MACRO t_s() AS epoch(CAST(getvariable('as_of') AS TIMESTAMPTZ));

COPY (
WITH
leads AS (
    SELECT row_number() OVER () AS rn, *,
        lower(trim(email)) AS em,
        lower(split_part(trim(email), '@', 2)) AS email_domain
    FROM read_csv(getvariable('leads_path'), header = true, all_varchar = true)
),
free_mail AS (
    SELECT lower(trim(column0)) AS domain
    FROM read_csv(getvariable('free_mail_path'), header = false, delim = '\t', quote = '', all_varchar = true)
    WHERE column0 NOT LIKE '#%'
),
disposable AS (
    SELECT lower(trim(column0)) AS domain
    FROM read_csv(getvariable('disposable_path'), header = false, delim = '\t', quote = '', all_varchar = true)
    WHERE column0 NOT LIKE '#%'
),
lead_facts AS (
    SELECT l.*,
        CASE WHEN l.em IS NULL OR l.em = '' THEN NULL
             WHEN NOT regexp_full_match(l.em, '[^@\s]+@[^@\s]+\.[a-z]{2,}') THEN 'invalid'
             WHEN d.domain IS NOT NULL THEN 'disposable'
             WHEN f.domain IS NOT NULL THEN 'free_mail'
             ELSE 'corporate' END AS email_kind,
        CASE WHEN nullif(trim(l.account_id), '') IS NOT NULL THEN 'id:' || trim(l.account_id)
             WHEN d.domain IS NULL AND f.domain IS NULL AND regexp_full_match(l.em, '[^@\s]+@[^@\s]+\.[a-z]{2,}')
                 THEN 'domain:' || l.email_domain END AS account_key,
        lower(regexp_replace(regexp_replace(trim(l.domain), '^[a-z]+://', '', 'i'), '^www\.|[/?#:].*$', '', 'g')) AS company_domain
    FROM leads l
    LEFT JOIN free_mail f ON f.domain = l.email_domain
    LEFT JOIN disposable d ON d.domain = l.email_domain
),
events AS (
    SELECT event_id, lead_id, type, epoch(occurred_at) AS at_s,
        rtrim(lower(regexp_extract(url, '^(?:[a-z]+://[^/?#]*)?([^?#]*)', 1)), '/') AS path
    FROM read_csv(getvariable('events_path'), header = true,
                  columns = {'event_id': 'VARCHAR', 'lead_id': 'VARCHAR', 'type': 'VARCHAR',
                             'occurred_at': 'TIMESTAMPTZ', 'url': 'VARCHAR', 'properties': 'VARCHAR'})
    WHERE epoch(occurred_at) <= t_s()
),
event_rules AS (
    SELECT lead_id,
        bool_or(type = 'page_view' AND at_s >= t_s() - 30 * 86400 AND (path = '/pricing' OR path LIKE '/pricing/%')) AS pricing_page,
        bool_or(type = 'demo_request' AND at_s >= t_s() - 90 * 86400) AS demo_request,
        bool_or(type = 'trial_started' AND at_s >= t_s() - 90 * 86400) AS trial_activation,
        bool_or(type = 'intent_surge' AND at_s >= t_s() - 30 * 86400) AS intent_surge,
        count(DISTINCT regexp_extract(path, '^/(pricing|demo|compare|integrations|security|case-studies)(/|$)', 1))
            FILTER (WHERE type = 'page_view' AND at_s >= t_s() - 7 * 86400
                    AND regexp_matches(path, '^/(pricing|demo|compare|integrations|security|case-studies)(/|$)')) >= 2 AS high_intent_burst,
        bool_or(type = 'page_view' AND at_s >= t_s() - 90 * 86400 AND regexp_matches(path, '^/(careers|jobs)(/|$)')) AS careers_page,
        bool_or(type = 'email_bounce') AS bounced_email,
        bool_or(type NOT IN ('email_open', 'email_bounce', 'intent_surge', 'sales_touch') AND at_s >= t_s() - 30 * 86400) AS engaged_30d
    FROM events
    GROUP BY lead_id
),
form_burst AS (
    SELECT DISTINCT lead_id FROM (
        SELECT lead_id, at_s, lead(at_s, 4) OVER (PARTITION BY lead_id ORDER BY at_s) AS fifth
        FROM (SELECT DISTINCT event_id, lead_id, at_s FROM events WHERE type = 'form_submit')
    ) WHERE fifth - at_s <= 60
),
follow_up AS (
    SELECT DISTINCT lead_id FROM (
        SELECT lead_id, type,
            count(*) OVER (PARTITION BY lead_id ORDER BY at_s RANGE BETWEEN 1 FOLLOWING AND 604800 FOLLOWING) AS after
        FROM events
        WHERE at_s >= t_s() - 30 * 86400 AND type NOT IN ('email_open', 'email_bounce', 'intent_surge', 'sales_touch')
    ) WHERE type IN ('event_attended', 'webinar_attended') AND after > 0
),
scored AS (
    SELECT l.rn, l.lead_id,
        -- fit
        10 * (coalesce(lower(trim(l.industry)) IN ('software', 'information technology', 'financial services', 'healthcare'), false)::INT
            + coalesce(try_cast(l.employees AS BIGINT) BETWEEN 200 AND 2000, false)::INT
            + coalesce(regexp_matches(lower(l.tech_stack), '(^|;)\s*(salesforce|hubspot|snowflake|segment|marketo)\s*(;|$)'), false)::INT
            + coalesce(lower(trim(l.country)) IN ('us', 'usa', 'u.s.', 'u.s.a.', 'united states', 'united states of america',
                  'ca', 'canada', 'gb', 'uk', 'u.k.', 'united kingdom', 'great britain', 'england', 'ie', 'ireland',
                  'de', 'germany', 'deutschland', 'fr', 'france', 'nl', 'netherlands', 'the netherlands', 'holland',
                  'se', 'sweden', 'sverige', 'au', 'australia'), false)::INT
            + coalesce(regexp_matches(lower(l.use_case), '\b(lead scoring|pipeline|routing|forecast|attribution)\b'), false)::INT) AS fit_points,
        -- intent
        10 * coalesce(r.pricing_page, false)::INT + 25 * coalesce(r.demo_request, false)::INT
            + 30 * coalesce(r.trial_activation, false)::INT + 10 * coalesce(r.intent_surge, false)::INT
            + 10 * coalesce(r.high_intent_burst, false)::INT AS intent_points,
        -- access
        10 * (coalesce(regexp_matches(lower(l.title), '\b(director|head|vp|vice president|chief|ceo|cto|cfo|coo|cmo|cro|founder|president|owner)\b'), false)::INT
            + coalesce(lower(l.budget_owner) IN ('true', 'yes', '1'), false)::INT
            + coalesce(count(*) FILTER (WHERE r.engaged_30d) OVER (PARTITION BY l.account_key) >= 2 AND l.account_key IS NOT NULL, false)::INT) AS access_points,
        -- timing
        10 * coalesce(try_cast(l.timeline_days AS BIGINT) BETWEEN 1 AND 90, false)::INT
            + 10 * coalesce(date_diff('day', CAST(getvariable('as_of') AS TIMESTAMPTZ)::DATE, try_cast(l.contract_end AS DATE)) BETWEEN 0 AND 365, false)::INT
            + 5 * (fu.lead_id IS NOT NULL)::INT AS timing_points,
        -- integrity
        5 * (coalesce(l.email_kind = 'corporate', false)::INT
            + (coalesce(lower(l.phone_verified) IN ('true', 'yes', '1'), false)
               OR coalesce(length(regexp_replace(l.phone, '[^0-9]', '', 'g')) BETWEEN 7 AND 15, false))::INT
            + coalesce(lower(l.consent) IN ('true', 'yes', '1'), false)::INT
            + (NOT (coalesce(count(*) OVER (PARTITION BY CASE WHEN l.email_kind NOT IN ('invalid') THEN l.em END) > 1 AND l.email_kind <> 'invalid', false)
                    OR coalesce(count(*) OVER (PARTITION BY l.account_key, lower(trim(concat_ws(' ', l.first_name, l.last_name)))) > 1
                                AND l.account_key IS NOT NULL, false)))::INT) AS integrity_points,
        -- penalties
        - 10 * coalesce(r.careers_page, false)::INT
            - 10 * coalesce(l.email_kind = 'free_mail', false)::INT
            - 15 * coalesce(regexp_matches(lower(l.title), '\bstudent\b'), false)::INT
            - 20 * (coalesce(regexp_matches(l.email_domain, '(^|\.)(rivalcrm\.com|scoreleads\.io)$'), false)
                    OR coalesce(regexp_matches(l.company_domain, '(^|\.)(rivalcrm\.com|scoreleads\.io)$'), false))::INT
            - 20 * coalesce(r.bounced_email, false)::INT
            - 30 * (nullif(trim(l.honeypot), '') IS NOT NULL
                    OR coalesce(l.email_kind = 'disposable', false)
                    OR fb.lead_id IS NOT NULL
                    OR coalesce(regexp_matches(lower(concat_ws(' ', l.first_name, l.last_name)),
                           'qwer|asdf|zxcv|wert|sdfg|[0-9]|\b[^aeiouy\s]{4,}\b'), false))::INT AS penalty
    FROM lead_facts l
    LEFT JOIN event_rules r USING (lead_id)
    LEFT JOIN form_burst fb USING (lead_id)
    LEFT JOIN follow_up fu USING (lead_id)
),
dims AS (
    SELECT rn, lead_id,
        least(50, fit_points) AS fit, least(40, intent_points) AS intent, least(20, access_points) AS access,
        least(20, timing_points) AS timing, least(15, integrity_points) AS integrity, penalty
    FROM scored
)
SELECT lead_id, fit + intent + access + timing + integrity + penalty AS total,
    fit + intent + access + timing + integrity + penalty >= 80 AS quality,
    CASE WHEN fit + intent + access + timing + integrity + penalty >= 80 THEN 'A'
         WHEN fit + intent + access + timing + integrity + penalty >= 60 THEN 'B'
         WHEN fit + intent + access + timing + integrity + penalty >= 40 THEN 'C' ELSE 'D' END AS grade,
    CASE WHEN fit >= 40 THEN 'A' WHEN fit >= 30 THEN 'B' WHEN fit >= 20 THEN 'C' ELSE 'D' END
        || CASE WHEN intent >= 30 THEN '1' WHEN intent >= 20 THEN '2' WHEN intent >= 10 THEN '3' ELSE '4' END AS cell,
    fit, intent, access, timing, integrity, penalty
FROM dims
ORDER BY rn
) TO '__OUT__' (FORMAT csv, HEADER true);
