-- leadrank's default model (SPEC section 2, models/default.toml) written as DuckDB SQL.
--
-- Inputs, set with SET VARIABLE before running this file (bench/compare.py does it):
--   as_of            scoring time T: RFC 3339 ('2026-06-30T12:00:00Z') or a date ('2026-06-30')
--   leads_path       leads.csv  (the SPEC section 1 columns, with a header row)
--   events_path      events.csv (event_id, lead_id, type, occurred_at, url, properties)
--   free_mail_path   crates/leadrank-facts/data/free_mail_domains.txt  (one domain a line)
--   disposable_path  crates/leadrank-facts/data/disposable_domains.txt (one domain a line)
-- accounts.csv is not read: no rule of the default model uses an account field.
--
-- Output: the table lr_scores with lead_id, one boolean column per rule (named like the
-- rule), the points per dimension after caps (fit, intent, access, timing, integrity,
-- penalty) and total = sum over dimensions of min(points, cap) + penalties.
--
-- Every value is read as text, trimmed, and empty means absent (SPEC section 1). Rows that
-- leadrank rejects (a bad integer, number, boolean or time, a missing required field, an event
-- of an unknown lead, a second lead with the same lead_id) are left out the same way. Times
-- are compared in whole Unix seconds: an event counts in a window of D days when
-- T - D*86400 <= occurred_at <= T, and events after T are ignored everywhere.
--
-- The sections marked GENERATED are written by bench/gen_sql.py from leadrank-facts' sources
-- and libphonenumber's metadata. Needs DuckDB >= 1.3 (lambda syntax, list comprehensions).

SET TimeZone = 'UTC';

-- ---------------------------------------------------------------------------------------
-- Value parsing (leadrank-core records.rs)

-- Trimmed; NULL when empty. (The first branch is a fast path for values without white space
-- at either end.)
CREATE OR REPLACE TEMP MACRO lr_text(x) AS CASE
    WHEN ascii(x) > 32 AND ascii(right(x, 1)) > 32 THEN x
    ELSE nullif(trim(x, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)), '') END;
-- true/false/yes/no/1/0 in any case; NULL when absent or not a boolean.
CREATE OR REPLACE TEMP MACRO lr_bool(x) AS CASE
    WHEN lower(x) IN ('true', 'yes', '1') THEN true
    WHEN lower(x) IN ('false', 'no', '0') THEN false END;
CREATE OR REPLACE TEMP MACRO lr_bool_ok(x) AS x IS NULL OR lower(x) IN ('true', 'yes', '1', 'false', 'no', '0');
CREATE OR REPLACE TEMP MACRO lr_int_ok(x) AS x IS NULL OR regexp_full_match(x, '[+-]?[0-9]{1,18}');
-- RFC 3339 with an offset, or a bare YYYY-MM-DD date (midnight UTC); NULL when invalid.
CREATE OR REPLACE TEMP MACRO lr_time(x) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN right(x, 1) IN ('Z', 'z') THEN try_cast(x AS TIMESTAMPTZ)
    WHEN length(x) = 10 THEN try_cast(try_cast(x AS DATE) AS TIMESTAMPTZ)
    WHEN regexp_matches(x, '[+-][0-9][0-9]:?[0-9][0-9]$') THEN try_cast(x AS TIMESTAMPTZ) END;
-- Whole Unix seconds (leadrank compares times at one-second resolution).
CREATE OR REPLACE TEMP MACRO lr_secs(ts) AS CAST(floor(epoch(ts)) AS BIGINT);

SET VARIABLE lr_t = lr_secs(lr_time(lr_text(getvariable('as_of'))));
CREATE OR REPLACE TEMP MACRO lr_t() AS CAST(getvariable('lr_t') AS BIGINT);
CREATE OR REPLACE TEMP MACRO lr_days(n) AS lr_t() - n * 86400;

-- ---------------------------------------------------------------------------------------
-- Operators (leadrank-core engine/eval.rs) and the model's lists (models/default.toml)

-- A company domain as typed -> "acme.com" (facts::normalize_domain): scheme, path, user@,
-- :port, trailing dots and a leading "www." removed; lower case.
CREATE OR REPLACE TEMP MACRO lr_norm_domain(raw) AS nullif(lower(
    regexp_replace(
        rtrim(split_part(regexp_extract(
            regexp_extract(regexp_replace(trim(raw), '^.*?://', ''), '^[^/?#]*'), '([^@]*)$', 1), ':', 1), '.'),
        '^www\.', '')), '');
-- domain_in: the domain equals a listed one or is a subdomain of it (list given as a regex).
CREATE OR REPLACE TEMP MACRO lr_domain_in(d, doms_re) AS regexp_matches(d, '(^|\.)(' || doms_re || ')$');
-- contains_keyword: lower-cased words of letters and digits, joined by single spaces and
-- padded with a space on each side (normalize_phrase), so that ' phrase ' containment is a
-- whole-word, whole-phrase match: "pipelines" is not "pipeline", "lead-scoring" is "lead scoring".
CREATE OR REPLACE TEMP MACRO lr_words(x) AS ' ' || lower(regexp_replace(x, '[^\pL\pN]+', ' ', 'g')) || ' ';

CREATE OR REPLACE TEMP MACRO lr_icp_industries() AS ['software', 'information technology', 'financial services', 'healthcare'];
CREATE OR REPLACE TEMP MACRO lr_icp_countries() AS ['US', 'CA', 'GB', 'IE', 'DE', 'FR', 'NL', 'SE', 'AU'];
CREATE OR REPLACE TEMP MACRO lr_icp_tech() AS ['salesforce', 'hubspot', 'snowflake', 'segment', 'marketo'];
-- use_case_keywords as one regex over lr_words().
CREATE OR REPLACE TEMP MACRO lr_use_case_re() AS ' (lead scoring|pipeline|routing|forecast|attribution) ';
-- competitors, as a regex for lr_domain_in().
CREATE OR REPLACE TEMP MACRO lr_competitors_re() AS 'rivalcrm\.com|scoreleads\.io';

-- ---------------------------------------------------------------------------------------
-- Facts: URL paths (leadrank-facts url.rs)

-- normalize_path: cut at '?' or '#'; strip scheme://host[:port], //host, or a leading host (a
-- first segment with a dot or a :port); lower case; runs of '/' collapsed; trailing '/' and
-- white space dropped; always starts with '/'.
CREATE OR REPLACE TEMP MACRO lr_path_rest(s) AS CASE
    WHEN regexp_matches(s, '^[A-Za-z0-9+.-]+://') THEN regexp_extract(s, '^[A-Za-z0-9+.-]+://[^/]*(.*)$', 1)
    WHEN starts_with(s, '//') THEN regexp_extract(s, '^//[^/]*(.*)$', 1)
    WHEN starts_with(s, '/') THEN s
    WHEN regexp_matches(split_part(s, '/', 1), '^[^\s]*\.[^\s]*$|^[^\s]+:[0-9]+$') THEN regexp_extract(s, '^[^/]*(.*)$', 1)
    ELSE s END;
CREATE OR REPLACE TEMP MACRO lr_path(url) AS coalesce(nullif(
    regexp_replace(regexp_replace('/' || lower(lr_path_rest(rtrim(regexp_extract(url, '^[^?#]*')))), '/+', '/', 'g'), '[/\s]+$', ''),
    ''), '/');
-- path_is_under, segment-aware: '/pricing' and '/pricing/x' are under '/pricing', '/pricingx' is not.
CREATE OR REPLACE TEMP MACRO lr_under(p, prefix) AS p = prefix OR starts_with(p, prefix || '/');
-- high_intent_pages: '/pricing', '/demo', '/compare', '/integrations', '/security', '/case-studies'.
CREATE OR REPLACE TEMP MACRO lr_high_intent(p) AS
    lr_under(p, '/pricing') OR lr_under(p, '/demo') OR lr_under(p, '/compare')
    OR lr_under(p, '/integrations') OR lr_under(p, '/security') OR lr_under(p, '/case-studies');

-- ---------------------------------------------------------------------------------------
-- Facts: email (leadrank-facts email.rs)

-- Syntax as the email_address crate checks it (dot-atom or quoted local part of at most 64
-- bytes; domain of at least two labels that start and end with a letter or digit, at most 63
-- bytes a label and 254 in all; no display name, no domain literal), plus a TLD of at least two
-- letters, or punycode.
CREATE OR REPLACE TEMP MACRO lr_email_syntax(e) AS
    regexp_full_match(e,
        '([\pL\pN!#$%&''*+/=?^_`{|}~-]+(\.[\pL\pN!#$%&''*+/=?^_`{|}~-]+)*|"([^"\\]|\\.)+")@'
        || '([\pL\pN]([\pL\pN!#$%&''*+/=?^_`{|}~-]*[\pL\pN])?\.)+(\pL\pL+|[Xx][Nn]--[A-Za-z0-9-]{2,})')
    AND strlen(regexp_extract(e, '^(.*)@', 1)) <= 64
    AND strlen(regexp_extract(e, '@([^@]*)$', 1)) <= 254
    AND NOT regexp_matches(regexp_extract(e, '@([^@]*)$', 1), '[^.]{64}');
CREATE OR REPLACE TEMP TABLE lr_free_mail AS
    SELECT DISTINCT lower(lr_text(line)) AS domain
    FROM read_csv(getvariable('free_mail_path'), header = false, columns = {'line': 'VARCHAR'},
                  delim = '\t', quote = '', escape = '', auto_detect = false)
    WHERE lr_text(line) IS NOT NULL AND NOT starts_with(lr_text(line), '#');
CREATE OR REPLACE TEMP TABLE lr_disposable AS
    SELECT DISTINCT lower(lr_text(line)) AS domain
    FROM read_csv(getvariable('disposable_path'), header = false, columns = {'line': 'VARCHAR'},
                  delim = '\t', quote = '', escape = '', auto_detect = false)
    WHERE lr_text(line) IS NOT NULL AND NOT starts_with(lr_text(line), '#');

-- ---------------------------------------------------------------------------------------
-- Facts: text folding (leadrank-facts text.rs)

-- BEGIN GENERATED fold (bench/gen_sql.py; do not edit)
-- text::fold_lower: lower case, combining marks dropped, Latin letters folded to ASCII
-- (strip_accents does the letters with a canonical decomposition; the others are listed).
CREATE OR REPLACE TEMP MACRO lr_fold_special(x) AS replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(x, 'ß', 'ss'), 'æ', 'ae'), 'ð', 'd'), 'ø', 'o'), 'þ', 'th'), 'đ', 'd'), 'ħ', 'h'), 'ı', 'i'), 'ĳ', 'ij'), 'ĸ', 'k'), 'ŀ', 'l'), 'ł', 'l'), 'ŉ', 'n'), 'ŋ', 'ng'), 'œ', 'oe'), 'ŧ', 't'), 'ſ', 's'), 'ƀ', 'b'), 'ƈ', 'c'), 'ƌ', 'd'), 'ƒ', 'f'), 'ƙ', 'k'), 'ƚ', 'l'), 'ƞ', 'n'), 'ƣ', 'oi'), 'ƥ', 'p'), 'ƭ', 't'), 'ƴ', 'y'), 'ƶ', 'z'), 'ƿ', 'w'), 'ǆ', 'dz'), 'ǉ', 'lj'), 'ǌ', 'nj'), 'ǝ', 'e'), 'ǣ', 'ae'), 'ǥ', 'g'), 'ǯ', 'z'), 'ǳ', 'dz'), 'ǽ', 'ae'), 'ǿ', 'o'), 'ȝ', 'y'), 'ȣ', 'ou'), 'ȥ', 'z'), 'ȷ', 'j'), 'ȼ', 'c'), 'ȿ', 's'), 'ɇ', 'e'), 'ɉ', 'j'), 'ɋ', 'q'), 'ɍ', 'r'), 'ɏ', 'y'), 'ẛ', 's');
CREATE OR REPLACE TEMP MACRO lr_fold(x) AS strip_accents(lr_fold_special(lower(x)));
-- The lower-case Latin letters with diacritics that text::fold_latin knows.
CREATE OR REPLACE TEMP MACRO lr_fold_letters() AS 'ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķĸĺļľŀłńņňŉŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžſƀƈƌƒƙƚƞơƣƥƭưƴƶƿǆǉǌǎǐǒǔǖǘǚǜǝǟǡǣǥǧǩǫǭǯǰǳǵǹǻǽǿȁȃȅȇȉȋȍȏȑȓȕȗșțȝȟȣȥȧȩȫȭȯȱȳȷȼȿɇɉɋɍɏḁḃḅḇḉḋḍḏḑḓḕḗḙḛḝḟḡḣḥḧḩḫḭḯḱḳḵḷḹḻḽḿṁṃṅṇṉṋṍṏṑṓṕṗṙṛṝṟṡṣṥṧṩṫṭṯṱṳṵṷṹṻṽṿẁẃẅẇẉẋẍẏẑẓẕẖẗẘẙẛạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ';
-- END GENERATED fold

-- ---------------------------------------------------------------------------------------
-- Facts: country (leadrank-facts country.rs)

-- BEGIN GENERATED countries (bench/gen_sql.py; do not edit)
-- ISO 3166-1 (crates/leadrank-facts/src/country/table.rs) then ALIASES (country.rs), in
-- index order: the first entry to claim a name key wins.
CREATE OR REPLACE TEMP TABLE lr_country_source (ord INTEGER, name VARCHAR, code VARCHAR);
INSERT INTO lr_country_source VALUES
    (0, 'Andorra', 'AD'),
    (1, 'United Arab Emirates', 'AE'),
    (2, 'Afghanistan', 'AF'),
    (3, 'Antigua and Barbuda', 'AG'),
    (4, 'Anguilla', 'AI'),
    (5, 'Albania', 'AL'),
    (6, 'Armenia', 'AM'),
    (7, 'Angola', 'AO'),
    (8, 'Antarctica', 'AQ'),
    (9, 'Argentina', 'AR'),
    (10, 'American Samoa', 'AS'),
    (11, 'Austria', 'AT'),
    (12, 'Australia', 'AU'),
    (13, 'Aruba', 'AW'),
    (14, 'Åland Islands', 'AX'),
    (15, 'Azerbaijan', 'AZ'),
    (16, 'Bosnia and Herzegovina', 'BA'),
    (17, 'Barbados', 'BB'),
    (18, 'Bangladesh', 'BD'),
    (19, 'Belgium', 'BE'),
    (20, 'Burkina Faso', 'BF'),
    (21, 'Bulgaria', 'BG'),
    (22, 'Bahrain', 'BH'),
    (23, 'Burundi', 'BI'),
    (24, 'Benin', 'BJ'),
    (25, 'Saint Barthélemy', 'BL'),
    (26, 'Bermuda', 'BM'),
    (27, 'Brunei Darussalam', 'BN'),
    (28, 'Bolivia', 'BO'),
    (29, 'Bonaire, Sint Eustatius and Saba', 'BQ'),
    (30, 'Brazil', 'BR'),
    (31, 'Bahamas', 'BS'),
    (32, 'Bhutan', 'BT'),
    (33, 'Bouvet Island', 'BV'),
    (34, 'Botswana', 'BW'),
    (35, 'Belarus', 'BY'),
    (36, 'Belize', 'BZ'),
    (37, 'Canada', 'CA'),
    (38, 'Cocos (Keeling) Islands', 'CC'),
    (39, 'Congo, Democratic Republic of the', 'CD'),
    (40, 'Central African Republic', 'CF'),
    (41, 'Congo', 'CG'),
    (42, 'Switzerland', 'CH'),
    (43, 'Côte d''Ivoire', 'CI'),
    (44, 'Cook Islands', 'CK'),
    (45, 'Chile', 'CL'),
    (46, 'Cameroon', 'CM'),
    (47, 'China', 'CN'),
    (48, 'Colombia', 'CO'),
    (49, 'Costa Rica', 'CR'),
    (50, 'Cuba', 'CU'),
    (51, 'Cape Verde', 'CV'),
    (52, 'Curaçao', 'CW'),
    (53, 'Christmas Island', 'CX'),
    (54, 'Cyprus', 'CY'),
    (55, 'Czechia', 'CZ'),
    (56, 'Germany', 'DE'),
    (57, 'Djibouti', 'DJ'),
    (58, 'Denmark', 'DK'),
    (59, 'Dominica', 'DM'),
    (60, 'Dominican Republic', 'DO'),
    (61, 'Algeria', 'DZ'),
    (62, 'Ecuador', 'EC'),
    (63, 'Estonia', 'EE'),
    (64, 'Egypt', 'EG'),
    (65, 'Western Sahara', 'EH'),
    (66, 'Eritrea', 'ER'),
    (67, 'Spain', 'ES'),
    (68, 'Ethiopia', 'ET'),
    (69, 'Finland', 'FI'),
    (70, 'Fiji', 'FJ'),
    (71, 'Falkland Islands (Malvinas)', 'FK'),
    (72, 'Micronesia, Federated States of', 'FM'),
    (73, 'Faroe Islands', 'FO'),
    (74, 'France', 'FR'),
    (75, 'Gabon', 'GA'),
    (76, 'United Kingdom', 'GB'),
    (77, 'Grenada', 'GD'),
    (78, 'Georgia', 'GE'),
    (79, 'French Guiana', 'GF'),
    (80, 'Guernsey', 'GG'),
    (81, 'Ghana', 'GH'),
    (82, 'Gibraltar', 'GI'),
    (83, 'Greenland', 'GL'),
    (84, 'Gambia', 'GM'),
    (85, 'Guinea', 'GN'),
    (86, 'Guadeloupe', 'GP'),
    (87, 'Equatorial Guinea', 'GQ'),
    (88, 'Greece', 'GR'),
    (89, 'South Georgia and the South Sandwich Islands', 'GS'),
    (90, 'Guatemala', 'GT'),
    (91, 'Guam', 'GU'),
    (92, 'Guinea-Bissau', 'GW'),
    (93, 'Guyana', 'GY'),
    (94, 'Hong Kong', 'HK'),
    (95, 'Heard Island and McDonald Islands', 'HM'),
    (96, 'Honduras', 'HN'),
    (97, 'Croatia', 'HR'),
    (98, 'Haiti', 'HT'),
    (99, 'Hungary', 'HU'),
    (100, 'Indonesia', 'ID'),
    (101, 'Ireland', 'IE'),
    (102, 'Israel', 'IL'),
    (103, 'Isle of Man', 'IM'),
    (104, 'India', 'IN'),
    (105, 'British Indian Ocean Territory', 'IO'),
    (106, 'Iraq', 'IQ'),
    (107, 'Iran', 'IR'),
    (108, 'Iceland', 'IS'),
    (109, 'Italy', 'IT'),
    (110, 'Jersey', 'JE'),
    (111, 'Jamaica', 'JM'),
    (112, 'Jordan', 'JO'),
    (113, 'Japan', 'JP'),
    (114, 'Kenya', 'KE'),
    (115, 'Kyrgyzstan', 'KG'),
    (116, 'Cambodia', 'KH'),
    (117, 'Kiribati', 'KI'),
    (118, 'Comoros', 'KM'),
    (119, 'Saint Kitts and Nevis', 'KN'),
    (120, 'North Korea', 'KP'),
    (121, 'South Korea', 'KR'),
    (122, 'Kuwait', 'KW'),
    (123, 'Cayman Islands', 'KY'),
    (124, 'Kazakhstan', 'KZ'),
    (125, 'Lao People''s Democratic Republic', 'LA'),
    (126, 'Lebanon', 'LB'),
    (127, 'Saint Lucia', 'LC'),
    (128, 'Liechtenstein', 'LI'),
    (129, 'Sri Lanka', 'LK'),
    (130, 'Liberia', 'LR'),
    (131, 'Lesotho', 'LS'),
    (132, 'Lithuania', 'LT'),
    (133, 'Luxembourg', 'LU'),
    (134, 'Latvia', 'LV'),
    (135, 'Libya', 'LY'),
    (136, 'Morocco', 'MA'),
    (137, 'Monaco', 'MC'),
    (138, 'Moldova, Republic of', 'MD'),
    (139, 'Montenegro', 'ME'),
    (140, 'Saint Martin (French part)', 'MF'),
    (141, 'Madagascar', 'MG'),
    (142, 'Marshall Islands', 'MH'),
    (143, 'North Macedonia', 'MK'),
    (144, 'Mali', 'ML'),
    (145, 'Myanmar', 'MM'),
    (146, 'Mongolia', 'MN'),
    (147, 'Macao', 'MO'),
    (148, 'Northern Mariana Islands', 'MP'),
    (149, 'Martinique', 'MQ'),
    (150, 'Mauritania', 'MR'),
    (151, 'Montserrat', 'MS'),
    (152, 'Malta', 'MT'),
    (153, 'Mauritius', 'MU'),
    (154, 'Maldives', 'MV'),
    (155, 'Malawi', 'MW'),
    (156, 'Mexico', 'MX'),
    (157, 'Malaysia', 'MY'),
    (158, 'Mozambique', 'MZ'),
    (159, 'Namibia', 'NA'),
    (160, 'New Caledonia', 'NC'),
    (161, 'Niger', 'NE'),
    (162, 'Norfolk Island', 'NF'),
    (163, 'Nigeria', 'NG'),
    (164, 'Nicaragua', 'NI'),
    (165, 'Netherlands', 'NL'),
    (166, 'Norway', 'NO'),
    (167, 'Nepal', 'NP'),
    (168, 'Nauru', 'NR'),
    (169, 'Niue', 'NU'),
    (170, 'New Zealand', 'NZ'),
    (171, 'Oman', 'OM'),
    (172, 'Panama', 'PA'),
    (173, 'Peru', 'PE'),
    (174, 'French Polynesia', 'PF'),
    (175, 'Papua New Guinea', 'PG'),
    (176, 'Philippines', 'PH'),
    (177, 'Pakistan', 'PK'),
    (178, 'Poland', 'PL'),
    (179, 'Saint Pierre and Miquelon', 'PM'),
    (180, 'Pitcairn', 'PN'),
    (181, 'Puerto Rico', 'PR'),
    (182, 'Palestine', 'PS'),
    (183, 'Portugal', 'PT'),
    (184, 'Palau', 'PW'),
    (185, 'Paraguay', 'PY'),
    (186, 'Qatar', 'QA'),
    (187, 'Reunion', 'RE'),
    (188, 'Romania', 'RO'),
    (189, 'Serbia', 'RS'),
    (190, 'Russia', 'RU'),
    (191, 'Rwanda', 'RW'),
    (192, 'Saudi Arabia', 'SA'),
    (193, 'Solomon Islands', 'SB'),
    (194, 'Seychelles', 'SC'),
    (195, 'Sudan', 'SD'),
    (196, 'Sweden', 'SE'),
    (197, 'Singapore', 'SG'),
    (198, 'Saint Helena', 'SH'),
    (199, 'Slovenia', 'SI'),
    (200, 'Svalbard and Jan Mayen', 'SJ'),
    (201, 'Slovakia', 'SK'),
    (202, 'Sierra Leone', 'SL'),
    (203, 'San Marino', 'SM'),
    (204, 'Senegal', 'SN'),
    (205, 'Somalia', 'SO'),
    (206, 'Suriname', 'SR'),
    (207, 'South Sudan', 'SS'),
    (208, 'Sao Tome and Principe', 'ST'),
    (209, 'El Salvador', 'SV'),
    (210, 'Sint Maarten (Dutch part)', 'SX'),
    (211, 'Syrian Arab Republic', 'SY'),
    (212, 'Eswatini', 'SZ'),
    (213, 'Turks and Caicos Islands', 'TC'),
    (214, 'Chad', 'TD'),
    (215, 'French Southern Territories', 'TF'),
    (216, 'Togo', 'TG'),
    (217, 'Thailand', 'TH'),
    (218, 'Tajikistan', 'TJ'),
    (219, 'Tokelau', 'TK'),
    (220, 'Timor-Leste', 'TL'),
    (221, 'Turkmenistan', 'TM'),
    (222, 'Tunisia', 'TN'),
    (223, 'Tonga', 'TO'),
    (224, 'Türkiye', 'TR'),
    (225, 'Trinidad and Tobago', 'TT'),
    (226, 'Tuvalu', 'TV'),
    (227, 'Taiwan', 'TW'),
    (228, 'Tanzania', 'TZ'),
    (229, 'Ukraine', 'UA'),
    (230, 'Uganda', 'UG'),
    (231, 'United States Minor Outlying Islands', 'UM'),
    (232, 'United States', 'US'),
    (233, 'Uruguay', 'UY'),
    (234, 'Uzbekistan', 'UZ'),
    (235, 'Holy See (Vatican City State)', 'VA'),
    (236, 'Saint Vincent and the Grenadines', 'VC'),
    (237, 'Venezuela', 'VE'),
    (238, 'Virgin Islands, British', 'VG'),
    (239, 'Virgin Islands, U.S.', 'VI'),
    (240, 'Vietnam', 'VN'),
    (241, 'Vanuatu', 'VU'),
    (242, 'Wallis and Futuna', 'WF'),
    (243, 'Samoa', 'WS'),
    (244, 'Kosovo', 'XK'),
    (245, 'Yemen', 'YE'),
    (246, 'Mayotte', 'YT'),
    (247, 'South Africa', 'ZA'),
    (248, 'Zambia', 'ZM'),
    (249, 'Zimbabwe', 'ZW'),
    (250, 'United States of America', 'US'),
    (251, 'USA', 'US'),
    (252, 'U.S.A.', 'US'),
    (253, 'U.S.', 'US'),
    (254, 'United States of America (the)', 'US'),
    (255, 'Estados Unidos', 'US'),
    (256, 'US Minor Outlying Islands', 'UM'),
    (257, 'Bolivia, Plurinational State of', 'BO'),
    (258, 'Venezuela, Bolivarian Republic of', 'VE'),
    (259, 'Brasil', 'BR'),
    (260, 'Mexico', 'MX'),
    (261, 'The Bahamas', 'BS'),
    (262, 'Falkland Islands', 'FK'),
    (263, 'Falklands', 'FK'),
    (264, 'Malvinas', 'FK'),
    (265, 'British Virgin Islands', 'VG'),
    (266, 'BVI', 'VG'),
    (267, 'US Virgin Islands', 'VI'),
    (268, 'Virgin Islands of the United States', 'VI'),
    (269, 'USVI', 'VI'),
    (270, 'Saint Martin', 'MF'),
    (271, 'Sint Maarten', 'SX'),
    (272, 'Saint Barths', 'BL'),
    (273, 'St Barts', 'BL'),
    (274, 'Saint Kitts', 'KN'),
    (275, 'Saint Vincent', 'VC'),
    (276, 'Trinidad', 'TT'),
    (277, 'Antigua', 'AG'),
    (278, 'Curacao', 'CW'),
    (279, 'Bonaire', 'BQ'),
    (280, 'Caribbean Netherlands', 'BQ'),
    (281, 'Bonaire, Sint Eustatius and Saba', 'BQ'),
    (282, 'South Georgia', 'GS'),
    (283, 'United Kingdom of Great Britain and Northern Ireland', 'GB'),
    (284, 'Great Britain', 'GB'),
    (285, 'Britain', 'GB'),
    (286, 'England', 'GB'),
    (287, 'Scotland', 'GB'),
    (288, 'Wales', 'GB'),
    (289, 'Northern Ireland', 'GB'),
    (290, 'Cymru', 'GB'),
    (291, 'U.K.', 'GB'),
    (292, 'Deutschland', 'DE'),
    (293, 'Federal Republic of Germany', 'DE'),
    (294, 'Holland', 'NL'),
    (295, 'The Netherlands', 'NL'),
    (296, 'Netherlands (Kingdom of the)', 'NL'),
    (297, 'Nederland', 'NL'),
    (298, 'Österreich', 'AT'),
    (299, 'Schweiz', 'CH'),
    (300, 'Suisse', 'CH'),
    (301, 'Svizzera', 'CH'),
    (302, 'Swiss Confederation', 'CH'),
    (303, 'España', 'ES'),
    (304, 'Italia', 'IT'),
    (305, 'Belgique', 'BE'),
    (306, 'België', 'BE'),
    (307, 'Sverige', 'SE'),
    (308, 'Norge', 'NO'),
    (309, 'Danmark', 'DK'),
    (310, 'Suomi', 'FI'),
    (311, 'Polska', 'PL'),
    (312, 'Magyarország', 'HU'),
    (313, 'Česko', 'CZ'),
    (314, 'Czech Republic', 'CZ'),
    (315, 'Slovak Republic', 'SK'),
    (316, 'Hrvatska', 'HR'),
    (317, 'Srbija', 'RS'),
    (318, 'Hellas', 'GR'),
    (319, 'Ellada', 'GR'),
    (320, 'Ελλάδα', 'GR'),
    (321, 'Ísland', 'IS'),
    (322, 'Luxemburg', 'LU'),
    (323, 'Lietuva', 'LT'),
    (324, 'Latvija', 'LV'),
    (325, 'Eesti', 'EE'),
    (326, 'Republic of Ireland', 'IE'),
    (327, 'Eire', 'IE'),
    (328, 'Russia', 'RU'),
    (329, 'Russian Federation', 'RU'),
    (330, 'Россия', 'RU'),
    (331, 'Moldova', 'MD'),
    (332, 'Moldova, Republic of', 'MD'),
    (333, 'Republic of Moldova', 'MD'),
    (334, 'Macedonia', 'MK'),
    (335, 'Republic of North Macedonia', 'MK'),
    (336, 'The former Yugoslav Republic of Macedonia', 'MK'),
    (337, 'FYROM', 'MK'),
    (338, 'Bosnia', 'BA'),
    (339, 'Vatican', 'VA'),
    (340, 'Vatican City', 'VA'),
    (341, 'Holy See', 'VA'),
    (342, 'Vatican City State', 'VA'),
    (343, 'Aland', 'AX'),
    (344, 'Aland Islands', 'AX'),
    (345, 'Svalbard', 'SJ'),
    (346, 'Kosovo', 'XK'),
    (347, 'Republic of Kosovo', 'XK'),
    (348, 'UAE', 'AE'),
    (349, 'U.A.E.', 'AE'),
    (350, 'Emirates', 'AE'),
    (351, 'KSA', 'SA'),
    (352, 'Saudi', 'SA'),
    (353, 'Kingdom of Saudi Arabia', 'SA'),
    (354, 'Turkey', 'TR'),
    (355, 'Republic of Türkiye', 'TR'),
    (356, 'Iran', 'IR'),
    (357, 'Iran, Islamic Republic of', 'IR'),
    (358, 'Syria', 'SY'),
    (359, 'State of Palestine', 'PS'),
    (360, 'Palestinian Territories', 'PS'),
    (361, 'Occupied Palestinian Territory', 'PS'),
    (362, 'Ivory Coast', 'CI'),
    (363, 'Cabo Verde', 'CV'),
    (364, 'Swaziland', 'SZ'),
    (365, 'Kingdom of Eswatini', 'SZ'),
    (366, 'The Gambia', 'GM'),
    (367, 'Republic of The Gambia', 'GM'),
    (368, 'Tanzania', 'TZ'),
    (369, 'Tanzania, United Republic of', 'TZ'),
    (370, 'United Republic of Tanzania', 'TZ'),
    (371, 'Democratic Republic of the Congo', 'CD'),
    (372, 'DRC', 'CD'),
    (373, 'DR Congo', 'CD'),
    (374, 'Congo-Kinshasa', 'CD'),
    (375, 'Zaire', 'CD'),
    (376, 'Congo, The Democratic Republic of the', 'CD'),
    (377, 'Republic of the Congo', 'CG'),
    (378, 'Congo-Brazzaville', 'CG'),
    (379, 'Congo Republic', 'CG'),
    (380, 'Sao Tome', 'ST'),
    (381, 'Saint Helena, Ascension and Tristan da Cunha', 'SH'),
    (382, 'Reunion', 'RE'),
    (383, 'French Southern and Antarctic Lands', 'TF'),
    (384, 'People''s Republic of China', 'CN'),
    (385, 'PRC', 'CN'),
    (386, 'Mainland China', 'CN'),
    (387, '中国', 'CN'),
    (388, 'Taiwan, Province of China', 'TW'),
    (389, 'Republic of China', 'TW'),
    (390, 'Chinese Taipei', 'TW'),
    (391, 'Hong Kong SAR', 'HK'),
    (392, 'Hong Kong SAR China', 'HK'),
    (393, 'Hong Kong, China', 'HK'),
    (394, 'Macau', 'MO'),
    (395, 'Macao SAR', 'MO'),
    (396, 'Macau SAR', 'MO'),
    (397, 'South Korea', 'KR'),
    (398, 'Korea', 'KR'),
    (399, 'Korea, Republic of', 'KR'),
    (400, 'Republic of Korea', 'KR'),
    (401, '대한민국', 'KR'),
    (402, '한국', 'KR'),
    (403, 'North Korea', 'KP'),
    (404, 'Korea, Democratic People''s Republic of', 'KP'),
    (405, 'DPRK', 'KP'),
    (406, 'Nippon', 'JP'),
    (407, 'Nihon', 'JP'),
    (408, '日本', 'JP'),
    (409, 'Vietnam', 'VN'),
    (410, 'Viet Nam', 'VN'),
    (411, 'Laos', 'LA'),
    (412, 'Lao PDR', 'LA'),
    (413, 'Brunei', 'BN'),
    (414, 'Burma', 'MM'),
    (415, 'East Timor', 'TL'),
    (416, 'Micronesia', 'FM'),
    (417, 'Federated States of Micronesia', 'FM'),
    (418, 'Kyrgyz Republic', 'KG'),
    (419, 'Cocos Islands', 'CC'),
    (420, 'Keeling Islands', 'CC'),
    (421, 'Pitcairn Islands', 'PN'),
    (422, 'Heard and McDonald Islands', 'HM');
CREATE OR REPLACE TEMP TABLE lr_country_codes (alpha2 VARCHAR, alpha3 VARCHAR);
INSERT INTO lr_country_codes VALUES
    ('AD', 'AND'), ('AE', 'ARE'), ('AF', 'AFG'), ('AG', 'ATG'), ('AI', 'AIA'), ('AL', 'ALB'), ('AM', 'ARM'), ('AO', 'AGO'),
    ('AQ', 'ATA'), ('AR', 'ARG'), ('AS', 'ASM'), ('AT', 'AUT'), ('AU', 'AUS'), ('AW', 'ABW'), ('AX', 'ALA'), ('AZ', 'AZE'),
    ('BA', 'BIH'), ('BB', 'BRB'), ('BD', 'BGD'), ('BE', 'BEL'), ('BF', 'BFA'), ('BG', 'BGR'), ('BH', 'BHR'), ('BI', 'BDI'),
    ('BJ', 'BEN'), ('BL', 'BLM'), ('BM', 'BMU'), ('BN', 'BRN'), ('BO', 'BOL'), ('BQ', 'BES'), ('BR', 'BRA'), ('BS', 'BHS'),
    ('BT', 'BTN'), ('BV', 'BVT'), ('BW', 'BWA'), ('BY', 'BLR'), ('BZ', 'BLZ'), ('CA', 'CAN'), ('CC', 'CCK'), ('CD', 'COD'),
    ('CF', 'CAF'), ('CG', 'COG'), ('CH', 'CHE'), ('CI', 'CIV'), ('CK', 'COK'), ('CL', 'CHL'), ('CM', 'CMR'), ('CN', 'CHN'),
    ('CO', 'COL'), ('CR', 'CRI'), ('CU', 'CUB'), ('CV', 'CPV'), ('CW', 'CUW'), ('CX', 'CXR'), ('CY', 'CYP'), ('CZ', 'CZE'),
    ('DE', 'DEU'), ('DJ', 'DJI'), ('DK', 'DNK'), ('DM', 'DMA'), ('DO', 'DOM'), ('DZ', 'DZA'), ('EC', 'ECU'), ('EE', 'EST'),
    ('EG', 'EGY'), ('EH', 'ESH'), ('ER', 'ERI'), ('ES', 'ESP'), ('ET', 'ETH'), ('FI', 'FIN'), ('FJ', 'FJI'), ('FK', 'FLK'),
    ('FM', 'FSM'), ('FO', 'FRO'), ('FR', 'FRA'), ('GA', 'GAB'), ('GB', 'GBR'), ('GD', 'GRD'), ('GE', 'GEO'), ('GF', 'GUF'),
    ('GG', 'GGY'), ('GH', 'GHA'), ('GI', 'GIB'), ('GL', 'GRL'), ('GM', 'GMB'), ('GN', 'GIN'), ('GP', 'GLP'), ('GQ', 'GNQ'),
    ('GR', 'GRC'), ('GS', 'SGS'), ('GT', 'GTM'), ('GU', 'GUM'), ('GW', 'GNB'), ('GY', 'GUY'), ('HK', 'HKG'), ('HM', 'HMD'),
    ('HN', 'HND'), ('HR', 'HRV'), ('HT', 'HTI'), ('HU', 'HUN'), ('ID', 'IDN'), ('IE', 'IRL'), ('IL', 'ISR'), ('IM', 'IMN'),
    ('IN', 'IND'), ('IO', 'IOT'), ('IQ', 'IRQ'), ('IR', 'IRN'), ('IS', 'ISL'), ('IT', 'ITA'), ('JE', 'JEY'), ('JM', 'JAM'),
    ('JO', 'JOR'), ('JP', 'JPN'), ('KE', 'KEN'), ('KG', 'KGZ'), ('KH', 'KHM'), ('KI', 'KIR'), ('KM', 'COM'), ('KN', 'KNA'),
    ('KP', 'PRK'), ('KR', 'KOR'), ('KW', 'KWT'), ('KY', 'CYM'), ('KZ', 'KAZ'), ('LA', 'LAO'), ('LB', 'LBN'), ('LC', 'LCA'),
    ('LI', 'LIE'), ('LK', 'LKA'), ('LR', 'LBR'), ('LS', 'LSO'), ('LT', 'LTU'), ('LU', 'LUX'), ('LV', 'LVA'), ('LY', 'LBY'),
    ('MA', 'MAR'), ('MC', 'MCO'), ('MD', 'MDA'), ('ME', 'MNE'), ('MF', 'MAF'), ('MG', 'MDG'), ('MH', 'MHL'), ('MK', 'MKD'),
    ('ML', 'MLI'), ('MM', 'MMR'), ('MN', 'MNG'), ('MO', 'MAC'), ('MP', 'MNP'), ('MQ', 'MTQ'), ('MR', 'MRT'), ('MS', 'MSR'),
    ('MT', 'MLT'), ('MU', 'MUS'), ('MV', 'MDV'), ('MW', 'MWI'), ('MX', 'MEX'), ('MY', 'MYS'), ('MZ', 'MOZ'), ('NA', 'NAM'),
    ('NC', 'NCL'), ('NE', 'NER'), ('NF', 'NFK'), ('NG', 'NGA'), ('NI', 'NIC'), ('NL', 'NLD'), ('NO', 'NOR'), ('NP', 'NPL'),
    ('NR', 'NRU'), ('NU', 'NIU'), ('NZ', 'NZL'), ('OM', 'OMN'), ('PA', 'PAN'), ('PE', 'PER'), ('PF', 'PYF'), ('PG', 'PNG'),
    ('PH', 'PHL'), ('PK', 'PAK'), ('PL', 'POL'), ('PM', 'SPM'), ('PN', 'PCN'), ('PR', 'PRI'), ('PS', 'PSE'), ('PT', 'PRT'),
    ('PW', 'PLW'), ('PY', 'PRY'), ('QA', 'QAT'), ('RE', 'REU'), ('RO', 'ROU'), ('RS', 'SRB'), ('RU', 'RUS'), ('RW', 'RWA'),
    ('SA', 'SAU'), ('SB', 'SLB'), ('SC', 'SYC'), ('SD', 'SDN'), ('SE', 'SWE'), ('SG', 'SGP'), ('SH', 'SHN'), ('SI', 'SVN'),
    ('SJ', 'SJM'), ('SK', 'SVK'), ('SL', 'SLE'), ('SM', 'SMR'), ('SN', 'SEN'), ('SO', 'SOM'), ('SR', 'SUR'), ('SS', 'SSD'),
    ('ST', 'STP'), ('SV', 'SLV'), ('SX', 'SXM'), ('SY', 'SYR'), ('SZ', 'SWZ'), ('TC', 'TCA'), ('TD', 'TCD'), ('TF', 'ATF'),
    ('TG', 'TGO'), ('TH', 'THA'), ('TJ', 'TJK'), ('TK', 'TKL'), ('TL', 'TLS'), ('TM', 'TKM'), ('TN', 'TUN'), ('TO', 'TON'),
    ('TR', 'TUR'), ('TT', 'TTO'), ('TV', 'TUV'), ('TW', 'TWN'), ('TZ', 'TZA'), ('UA', 'UKR'), ('UG', 'UGA'), ('UM', 'UMI'),
    ('US', 'USA'), ('UY', 'URY'), ('UZ', 'UZB'), ('VA', 'VAT'), ('VC', 'VCT'), ('VE', 'VEN'), ('VG', 'VGB'), ('VI', 'VIR'),
    ('VN', 'VNM'), ('VU', 'VUT'), ('WF', 'WLF'), ('WS', 'WSM'), ('XK', 'XKK'), ('YE', 'YEM'), ('YT', 'MYT'), ('ZA', 'ZAF'),
    ('ZM', 'ZMB'), ('ZW', 'ZWE'), ('XK', 'XKX');
CREATE OR REPLACE TEMP MACRO lr_country_stop_words() AS ['the', 'of', 'and'];
-- END GENERATED countries

-- words(): folded, apostrophes dropped, other non-alphanumerics as spaces, stop words dropped,
-- runs of single letters joined ("u s a" -> "usa"), st/ste/rep/dem spelled out.
CREATE OR REPLACE TEMP MACRO lr_country_words(raw) AS
    list_filter(string_split(replace(replace(rtrim(list_reduce(
        ['^'] || [CASE WHEN list_contains(lr_country_stop_words(), x) THEN '|' ELSE x END
                  FOR x IN string_split(trim(regexp_replace(regexp_replace(lr_fold(raw), '[''’‘`´ʼ]', '', 'g'), '[^\pL\pN]+', ' ', 'g')), ' ')
                  IF x <> ''],
        lambda acc, x: CASE
            WHEN x = '|' THEN rtrim(acc, '#') || ' |'
            WHEN length(x) = 1 AND ends_with(acc, '#') THEN rtrim(acc, '#') || x || '#'
            WHEN length(x) = 1 THEN acc || ' ' || x || '#'
            ELSE rtrim(acc, '#') || ' ' || CASE x WHEN 'st' THEN 'saint' WHEN 'ste' THEN 'sainte'
                                              WHEN 'rep' THEN 'republic' WHEN 'dem' THEN 'democratic' ELSE x END END),
        '#'), '|', ''), '^', ''), ' '), lambda w: w <> '');
CREATE OR REPLACE TEMP MACRO lr_bag_key(words) AS array_to_string(list_sort(list_distinct(words)), ' ');
-- The name index: bag-of-words key and concatenated key of every name, first entry wins.
CREATE OR REPLACE TEMP TABLE lr_country_index AS
SELECT key, arg_min(code, ord) AS code FROM (
    SELECT ord, code, lr_bag_key(lr_country_words(name)) AS key FROM lr_country_source
    UNION ALL
    SELECT ord, code, array_to_string(lr_country_words(name), '') AS key FROM lr_country_source
) WHERE key <> '' GROUP BY key;

-- ---------------------------------------------------------------------------------------
-- Facts: seniority (leadrank-facts seniority.rs), reduced to director_plus

-- BEGIN GENERATED seniority (bench/gen_sql.py; do not edit)
-- Word lists of crates/leadrank-facts/src/seniority.rs.
CREATE OR REPLACE TEMP MACRO lr_sen_placeholders() AS ['n a', 'na', 'none', 'null', 'nil', 'unknown', 'tbd', 'tba', 'undefined', 'not provided', 'not available', 'not applicable', 'no title', 'other', 'x', 'xx', 'xxx', 'unbekannt', 'keine angabe'];
CREATE OR REPLACE TEMP MACRO lr_sen_strong_student() AS ['intern', 'interns', 'internship', 'trainee', 'trainees', 'apprentice', 'werkstudent', 'werkstudentin', 'praktikant', 'praktikantin', 'azubi', 'auszubildende', 'auszubildender', 'stagiaire', 'stagiair', 'stagista', 'becario', 'becaria', 'pasante', 'estagiario', 'estagiaria', 'alternant', 'alternante', 'стажер', 'стажёр', 'практикант'];
CREATE OR REPLACE TEMP MACRO lr_sen_weak_student() AS ['student', 'students', 'undergraduate', 'undergrad', 'postgraduate', 'doktorand', 'doktorandin', 'doctorant', 'doctorante', 'doctorand', 'etudiant', 'etudiante', 'estudiante', 'studente', 'studentessa', 'studentin', 'студент', 'студентка', 'аспирант'];
CREATE OR REPLACE TEMP MACRO lr_sen_degrees() AS ['phd', 'doctoral', 'mba', 'msc', 'masters', 'master', 'bsc', 'ba', 'ma'];
CREATE OR REPLACE TEMP MACRO lr_sen_student_staff_nouns() AS ['manager', 'officer', 'coordinator', 'advisor', 'adviser', 'counselor', 'counsellor', 'services', 'service', 'success', 'affairs', 'recruitment', 'recruiter', 'administrator', 'support', 'experience', 'life', 'housing', 'engagement', 'enrollment', 'enrolment', 'admissions', 'records', 'finance', 'welfare', 'development', 'program', 'programs', 'programme', 'programmes', 'operations', 'data', 'information', 'systems', 'marketing', 'relations', 'mobility', 'journey', 'retention', 'accommodation', 'wellbeing', 'activities', 'specialist', 'director', 'dean', 'lead', 'head'];
CREATE OR REPLACE TEMP MACRO lr_sen_trainee_staff_nouns() AS ['coordinator', 'recruiter', 'recruitment', 'program', 'programs', 'programme', 'programmes', 'advisor', 'adviser', 'services', 'relations', 'mentor'];
CREATE OR REPLACE TEMP MACRO lr_sen_support_nouns() AS ['assistant', 'assistants', 'asst', 'assistent', 'assistentin', 'assistenz', 'assistante', 'asistente', 'assistente', 'secretary', 'secretaria', 'secretario', 'secretaire', 'sekretar', 'sekretarin', 'pa', 'ea', 'aide', 'office', 'advisor', 'adviser', 'referent', 'referentin', 'consultant', 'coordinator', 'liaison', 'scheduler', 'помощник', 'ассистент', 'секретарь'];
CREATE OR REPLACE TEMP MACRO lr_sen_support_head_nouns() AS ['assistant', 'assistants', 'asst', 'assistent', 'assistentin', 'assistenz', 'assistante', 'asistente', 'assistente', 'secretary', 'secretaria', 'secretario', 'secretaire', 'sekretar', 'sekretarin', 'aide', 'помощник', 'ассистент', 'секретарь'];
CREATE OR REPLACE TEMP MACRO lr_sen_prepositions_after_support() AS ['of', 'for', 'der', 'des', 'de', 'du', 'del', 'della', 'di', 'da', 'do', 'dla', 'van', 'при'];
CREATE OR REPLACE TEMP MACRO lr_sen_role_words() AS ['chief', 'president', 'presidente', 'president', 'vp', 'svp', 'evp', 'vice', 'director', 'directors', 'dir', 'directeur', 'directrice', 'direktor', 'direktorin', 'directora', 'managing', 'md', 'founder', 'founders', 'cofounder', 'owner', 'owners', 'chairman', 'chairwoman', 'chairperson', 'chair', 'board', 'head', 'manager', 'managers', 'mgr', 'partner', 'partners', 'executive', 'executives', 'management', 'leadership', 'gm', 'principal', 'direction', 'gerencia', 'direccion', 'direzione', 'presidencia', 'presidence', 'dg', 'pdg', 'general', 'senior', 'sr', 'directorate', 'директора', 'директор', 'руководителя', 'руководства'];
CREATE OR REPLACE TEMP MACRO lr_sen_c_level_words() AS ['ceo', 'cto', 'cfo', 'coo', 'cmo', 'cio', 'cro', 'cso', 'cpo', 'cdo', 'cco', 'chro', 'cxo', 'ciso', 'cao', 'clo', 'cno', 'cbo', 'cgo', 'cdao', 'ceos', 'pdg', 'founder', 'founders', 'cofounder', 'cofounders', 'fondateur', 'fondatrice', 'cofondateur', 'cofondatrice', 'fundador', 'fundadora', 'cofundador', 'cofundadora', 'grunder', 'grunderin', 'mitgrunder', 'mitgrunderin', 'gruender', 'gruenderin', 'oprichter', 'medeoprichter', 'fondatore', 'geschaftsfuhrer', 'geschaftsfuhrerin', 'geschaeftsfuehrer', 'geschaeftsfuehrerin', 'geschaftsfuhrender', 'geschaftsfuhrende', 'geschaftsleitung', 'geschaeftsleitung', 'inhaber', 'inhaberin', 'proprietor', 'proprietaire', 'propietario', 'propietaria', 'dueno', 'duena', 'eigenaar', 'titolare', 'chairman', 'chairwoman', 'chairperson', 'vorsitzender', 'vorsitzende', 'vorstandsvorsitzender', 'vorstandsvorsitzende', 'vorstand', 'generaldirektor', 'основатель', 'сооснователь', 'владелец', 'президент'];
CREATE OR REPLACE TEMP MACRO lr_sen_owner_words() AS ['owner', 'owners', 'coowner'];
CREATE OR REPLACE TEMP MACRO lr_sen_owner_exclude_prev() AS ['product', 'process', 'service', 'data', 'account', 'system', 'content', 'risk', 'control', 'application', 'platform', 'feature', 'technical', 'asset', 'budget', 'case', 'ticket', 'project', 'change', 'release', 'solution', 'domain', 'policy', 'channel', 'relationship', 'area'];
CREATE OR REPLACE TEMP MACRO lr_sen_president_words() AS ['president', 'presidente', 'presidenta', 'prasident', 'prasidentin', 'praesident', 'praesidentin', 'presidentin', 'pres'];
CREATE OR REPLACE TEMP MACRO lr_sen_vp_words() AS ['vp', 'vps', 'svp', 'evp', 'avp', 'rvp', 'gvp', 'cvp', 'vicepresident', 'vicepresidente', 'vicepresidenta', 'vizeprasident', 'vizeprasidentin', 'vizepraesident', 'vizepraesidentin', 'вицепрезидент'];
CREATE OR REPLACE TEMP MACRO lr_sen_director_words() AS ['director', 'directors', 'dir', 'directeur', 'directrice', 'direktor', 'direktorin', 'direttore', 'direttrice', 'directora', 'diretor', 'diretora', 'directeurs', 'директор', 'директора'];
CREATE OR REPLACE TEMP MACRO lr_sen_general_words() AS ['general', 'generale', 'generala', 'generaldirektor', 'generalny', 'генеральный'];
CREATE OR REPLACE TEMP MACRO lr_sen_head_words() AS ['head', 'heads', 'headmaster', 'headmistress', 'headteacher', 'jefe', 'jefa', 'dean', 'leiter', 'leiterin', 'leitung', 'gm', 'руководитель', 'начальник'];
CREATE OR REPLACE TEMP MACRO lr_sen_manager_words() AS ['manager', 'managers', 'mgr', 'mngr', 'managerin', 'gerente', 'gerant', 'gerante', 'supervisor', 'supervisora', 'superintendent', 'foreman', 'responsable', 'responsabile', 'teamlead', 'teamleader', 'teamleiter', 'teamleiterin', 'leader', 'leaders', 'менеджер'];
CREATE OR REPLACE TEMP MACRO lr_sen_leiter_manager_prefixes() AS ['team', 'gruppen', 'gruppe', 'projekt', 'schicht'];
CREATE OR REPLACE TEMP MACRO lr_sen_lead_manager_prev() AS ['team', 'group', 'squad', 'shift', 'crew', 'pod'];
CREATE OR REPLACE TEMP MACRO lr_sen_lead_topics() AS ['generation', 'gen', 'qualification', 'nurturing', 'nurture', 'development', 'routing', 'scoring', 'management', 'conversion', 'acquisition'];
CREATE OR REPLACE TEMP MACRO lr_sen_senior_words() AS ['senior', 'sr', 'snr', 'principal', 'distinguished', 'expert', 'lead', 'seniorin', 'ведущий', 'старший'];
CREATE OR REPLACE TEMP MACRO lr_sen_staff_senior_next() AS ['engineer', 'software', 'scientist', 'designer', 'data', 'product', 'ml', 'developer', 'architect', 'researcher', 'security', 'research', 'machine', 'backend', 'frontend', 'infrastructure', 'site', 'platform', 'ux', 'analyst'];
CREATE OR REPLACE TEMP MACRO lr_sen_partner_clevel_prev() AS ['managing', 'founding', 'general', 'senior', 'equity', 'name', 'executive'];
CREATE OR REPLACE TEMP MACRO lr_sen_cjk_student() AS ['实习生', '實習生', 'インターン', '인턴', '学生', '學生', '학생', '研修生'];
CREATE OR REPLACE TEMP MACRO lr_sen_cjk_support_suffixes() AS ['助理', '秘书', '秘書', 'アシスタント', '비서'];
-- CJK_TERMS of level director or above.
CREATE OR REPLACE TEMP MACRO lr_sen_cjk_director_plus() AS ['首席执行官', '代表取締役', '副总裁', '副社長', '执行役员', '執行役員', '副总经理', '总经理', '總經理', '本部長', '董事长', '董事長', '总裁', '總裁', '创始人', '創辦人', '社長', '取締役', '대표이사', '대표', '부사장', '상무', '전무', '总监', '總監', '이사', '部長', '부장', '负责人', 'ディレクター'];
-- END GENERATED seniority

-- tokenize(): folded words split at anything but letters, digits and '.'; dotted
-- abbreviations joined when every part is one letter (V.P. -> vp), split otherwise.
CREATE OR REPLACE TEMP MACRO lr_title_words(title) AS flatten([
    CASE WHEN NOT contains(r, '.') THEN [r]
         WHEN len([p FOR p IN string_split(r, '.') IF p <> '']) >= 2
              AND len([p FOR p IN string_split(r, '.') IF p <> '' AND length(p) <> 1]) = 0
             THEN [array_to_string([p FOR p IN string_split(r, '.') IF p <> ''], '')]
         ELSE [p FOR p IN string_split(r, '.') IF p <> ''] END
    FOR r IN string_split_regex(lr_fold(title), '[^\pL\pN.]+') IF r <> '']);
CREATE OR REPLACE TEMP MACRO lr_role_word(t) AS
    list_contains(lr_sen_role_words(), t) OR list_contains(lr_sen_c_level_words(), t)
    OR list_contains(lr_sen_vp_words(), t) OR starts_with(t, 'vorstand') OR starts_with(t, 'geschaftsf')
    OR starts_with(t, 'geschaeftsf') OR starts_with(t, 'geschaftsleit') OR starts_with(t, 'geschaeftsleit')
    OR ends_with(t, 'leitung') OR ends_with(t, 'leiter') OR ends_with(t, 'leiterin');
-- word_level(): 0 c_level, 1 vp, 2 head, 3 director, 4 manager, 5 senior, NULL none.
CREATE OR REPLACE TEMP MACRO lr_word_level(k, i, t, prv, nxt) AS CASE
    WHEN list_contains(lr_sen_owner_words(), t) THEN CASE WHEN list_contains(lr_sen_owner_exclude_prev(), prv) THEN NULL ELSE 0 END
    WHEN list_contains(lr_sen_president_words(), t) THEN CASE WHEN prv IN ('vice', 'vize') THEN 1 ELSE 0 END
    WHEN t IN ('chairman', 'chairwoman', 'chairperson', 'chair') AND prv = 'vice' THEN 1
    WHEN list_contains(lr_sen_c_level_words(), t) THEN 0
    WHEN list_contains(lr_sen_vp_words(), t) THEN 1
    WHEN t = 'chief' THEN CASE
        WHEN nxt = 'executive' OR list_contains(list_slice(k, i + 1, i + 5), 'officer') THEN 0
        WHEN prv = 'in' AND i >= 3 AND k[i - 2] = 'editor' THEN 2
        ELSE 3 END
    WHEN t = 'managing' THEN CASE WHEN nxt IN ('director', 'directors', 'partner', 'partners') THEN 0 ELSE 4 END
    WHEN t IN ('partner', 'partners') THEN CASE
        WHEN len(k) = 1 OR (len(k) = 2 AND prv IN ('a', 'the'))
             OR list_contains(lr_sen_partner_clevel_prev(), prv) THEN 0 END
    WHEN t = 'board' THEN CASE
        WHEN list_has_any(k, ['member', 'members', 'director', 'directors', 'chair', 'mitglied']) THEN 0 END
    WHEN t = 'chair' THEN CASE WHEN list_contains(k, 'board') THEN 0 ELSE 2 END
    WHEN t = 'secretary' AND (prv = 'general' OR nxt = 'general') THEN 0
    WHEN t = 'amministratore' AND nxt = 'delegato' THEN 0
    WHEN t = 'consejero' AND nxt = 'delegado' THEN 0
    WHEN t = 'algemeen' AND nxt = 'directeur' THEN 0
    WHEN t = 'general' AND nxt IN ('manager', 'managers') THEN 2
    WHEN t = 'gerente' AND nxt = 'general' THEN 2
    WHEN t IN ('head', 'heads') AND nxt IN ('hunter', 'hunters') THEN NULL
    WHEN t = 'lead' AND list_contains(lr_sen_lead_manager_prev(), prv) THEN 4
    WHEN t = 'lead' AND list_contains(lr_sen_lead_topics(), nxt) THEN NULL
    WHEN t = 'staff' THEN CASE WHEN list_contains(lr_sen_staff_senior_next(), nxt) THEN 5 END
    WHEN list_contains(lr_sen_director_words(), t) THEN CASE
        WHEN list_contains(lr_sen_general_words(), nxt) OR list_contains(lr_sen_general_words(), prv) THEN 0 ELSE 3 END
    WHEN list_contains(lr_sen_head_words(), t) THEN 2
    WHEN list_contains(lr_sen_manager_words(), t) THEN 4
    WHEN regexp_matches(t, '^(.{3,})(leiterin|leiter)$') AND NOT regexp_matches(t, 'beg(leiterin|leiter)$') THEN CASE
        WHEN list_contains(lr_sen_leiter_manager_prefixes(), regexp_extract(t, '^(.{3,}?)(leiterin|leiter)$', 1)) THEN 4 ELSE 2 END
    WHEN strlen(t) > 7 AND ends_with(t, 'leitung') AND NOT starts_with(t, 'ver') THEN 2
    WHEN list_contains(lr_sen_senior_words(), t) THEN 5 END;

-- ---------------------------------------------------------------------------------------
-- Facts: gibberish names (leadrank-facts names.rs)

-- BEGIN GENERATED names (bench/gen_sql.py; do not edit)
-- Lists of crates/leadrank-facts/src/names.rs (gibberish names).
CREATE OR REPLACE TEMP MACRO lr_gib_placeholders() AS ['test', 'testing', 'test test', 'test user', 'testuser', 'tester test', 'dummy', 'lorem', 'ipsum', 'lorem ipsum', 'asdf', 'qwerty', 'foobar', 'first name', 'last name', 'firstname', 'lastname', 'your name', 'yourname', 'no name', 'noname', 'abc', 'abcd', 'abcdef', 'xyz', 'azerty', 'qwertz'];
CREATE OR REPLACE TEMP MACRO lr_gib_three_key_walks() AS ['asd', 'sdf', 'dfg', 'fgh', 'ghj', 'hjk', 'jkl', 'dsa', 'fds', 'gfd', 'hgf', 'jhg', 'kjh', 'lkj', 'zxc', 'xcv', 'cvb', 'vbn', 'bnm', 'cxz', 'vcx', 'bvc', 'nbv', 'mnb', 'qwe', 'ewq'];
-- Keyboard walks: every window of ROWS, and COLUMN_WALKS.
CREATE OR REPLACE TEMP MACRO lr_gib_row_walk_re() AS '(?:qwert|werty|ertyu|rtyui|tyuio|yuiop|poiuy|oiuyt|iuytr|uytre|ytrew|trewq|asdf|sdfg|dfgh|fghj|ghjk|hjkl|lkjh|kjhg|jhgf|hgfd|gfds|fdsa|qsdf|jklm|mlkj|fdsq|zxcv|xcvb|cvbn|vbnm|mnbv|nbvc|bvcx|vcxz|yxcv|vcxy|wxcv|vcxw)';
CREATE OR REPLACE TEMP MACRO lr_gib_column_walk_re() AS '(?:qazwsx|wsxedc|edcrfv|rfvtgb|tgbyhn|yhnujm|zaqxsw|xswcde|cdevfr|vfrbgt|bgtnhy|nhymju)';
-- A three-key walk (or three keys of a row) repeated: asdasd, jkljkl.
CREATE OR REPLACE TEMP MACRO lr_gib_repeat_walk_re() AS '(?:(?:asd){2,}|(?:sdf){2,}|(?:dfg){2,}|(?:fgh){2,}|(?:ghj){2,}|(?:hjk){2,}|(?:jkl){2,}|(?:dsa){2,}|(?:fds){2,}|(?:gfd){2,}|(?:hgf){2,}|(?:jhg){2,}|(?:kjh){2,}|(?:lkj){2,}|(?:zxc){2,}|(?:xcv){2,}|(?:cvb){2,}|(?:vbn){2,}|(?:bnm){2,}|(?:cxz){2,}|(?:vcx){2,}|(?:bvc){2,}|(?:nbv){2,}|(?:mnb){2,}|(?:qwe){2,}|(?:ewq){2,}|(?:wer){2,}|(?:ert){2,}|(?:rty){2,}|(?:tyu){2,}|(?:yui){2,}|(?:uio){2,}|(?:iop){2,}|(?:poi){2,}|(?:oiu){2,}|(?:iuy){2,}|(?:uyt){2,}|(?:ytr){2,}|(?:tre){2,}|(?:rew){2,}|(?:qsd){2,}|(?:klm){2,}|(?:mlk){2,}|(?:dsq){2,}|(?:yxc){2,}|(?:cxy){2,}|(?:wxc){2,}|(?:cxw){2,})';
-- Consonant sounds of more than one letter: CLUSTERS, then doubled consonants.
CREATE OR REPLACE TEMP MACRO lr_gib_units_re() AS '(?:tsch|sch|str|spr|skr|scr|spl|thr|chr|shr|phr|tch|dzh|dzs|zsh|ch|sh|th|ph|gh|kh|zh|wh|ck|ng|sz|cz|rz|dz|ts|tz|bh|dh|jh|pf|dj|lj|nj|gn|sc|bb|cc|dd|ff|gg|hh|jj|kk|ll|mm|nn|pp|qq|rr|ss|tt|vv|ww|xx|zz)';
-- END GENERATED names

-- Rules 1-3 and the exact three-key walk, on a whole first or last name.
CREATE OR REPLACE TEMP MACRO lr_gib_part(p) AS
    regexp_matches(p, '[\p{Nd}\p{No}]') OR contains(p, '@')
    OR contains(lower(p), '://') OR contains(lower(p), 'www.')
    OR regexp_matches(p, '[_#$%^*=<>{}|\\~+`]')
    OR list_contains(lr_gib_placeholders(), array_to_string(string_split_regex(trim(lower(p)), '\s+'), ' '))
    OR (strlen(array_to_string(string_split_regex(trim(lower(p)), '\s+'), ' ')) = 3
        AND list_contains(lr_gib_three_key_walks(), array_to_string(string_split_regex(trim(lower(p)), '\s+'), ' ')));
-- Sound units of a folded ASCII word, one character each: V a vowel, C a consonant sound of
-- several letters, W/R a w (r, l) that sounds like a vowel, a lower-case letter any other
-- consonant.
CREATE OR REPLACE TEMP MACRO lr_gib_units0(f) AS
    regexp_replace(regexp_replace(f, lr_gib_units_re(), 'C', 'g'), '[aeiouy]', 'V', 'g');
CREATE OR REPLACE TEMP MACRO lr_gib_units_w(u) AS
    regexp_replace(regexp_replace(regexp_replace(u, '(^|[^V])w([^V]|$)', '\1W\2', 'g'),
        '(^|[^V])w([^V]|$)', '\1W\2', 'g'), '(^|[^V])w([^V]|$)', '\1W\2', 'g');
CREATE OR REPLACE TEMP MACRO lr_gib_units_rl(u) AS
    regexp_replace(regexp_replace(regexp_replace(u, '([^V])[rl]([^V])', '\1R\2', 'g'),
        '([^V])[rl]([^V])', '\1R\2', 'g'), '([^V])[rl]([^V])', '\1R\2', 'g');
CREATE OR REPLACE TEMP MACRO lr_gib_units(f) AS lr_gib_units_rl(lr_gib_units_w(lr_gib_units0(f)));
CREATE OR REPLACE TEMP MACRO lr_gib_run(u) AS coalesce(list_max([length(x) FOR x IN string_split_regex(u, '[VWR]+')]), 0);
CREATE OR REPLACE TEMP MACRO lr_gib_consonants(u) AS length(regexp_replace(u, '[VWR]', '', 'g'));

-- ---------------------------------------------------------------------------------------
-- Facts: phone numbers (leadrank-facts phone.rs, via the phonenumber crate)

-- BEGIN GENERATED phone (bench/gen_sql.py; do not edit)
-- Numbering plans from phonenumber-0.3.10+9.0.33/assets/PhoneNumberMetadata.xml
-- (libphonenumber metadata, Apache-2.0), for the regions AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW.
-- Every country calling code, shortest first (codes are prefix-free).
CREATE OR REPLACE TEMP MACRO lr_phone_cc_re() AS '^(1|7|20|27|30|31|32|33|34|36|39|40|41|43|44|45|46|47|48|49|51|52|53|54|55|56|57|58|60|61|62|63|64|65|66|81|82|84|86|90|91|92|93|94|95|98|211|212|213|216|218|220|221|222|223|224|225|226|227|228|229|230|231|232|233|234|235|236|237|238|239|240|241|242|243|244|245|246|247|248|249|250|251|252|253|254|255|256|257|258|260|261|262|263|264|265|266|267|268|269|290|291|297|298|299|350|351|352|353|354|355|356|357|358|359|370|371|372|373|374|375|376|377|378|380|381|382|383|385|386|387|389|420|421|423|500|501|502|503|504|505|506|507|508|509|590|591|592|593|594|595|596|597|598|599|670|672|673|674|675|676|677|678|679|680|681|682|683|685|686|687|688|689|690|691|692|800|808|850|852|853|855|856|870|878|880|881|882|883|886|888|960|961|962|963|964|965|966|967|968|970|971|972|973|974|975|976|977|979|992|993|994|995|996|998)';
-- The calling code of a region.
CREATE OR REPLACE TEMP MACRO lr_phone_region_cc(region) AS CASE left(region, 1)
    WHEN 'A' THEN CASE region
        WHEN 'AC' THEN '247'
        WHEN 'AD' THEN '376'
        WHEN 'AE' THEN '971'
        WHEN 'AF' THEN '93'
        WHEN 'AG' THEN '1'
        WHEN 'AI' THEN '1'
        WHEN 'AL' THEN '355'
        WHEN 'AM' THEN '374'
        WHEN 'AO' THEN '244'
        WHEN 'AR' THEN '54'
        WHEN 'AS' THEN '1'
        WHEN 'AT' THEN '43'
        WHEN 'AU' THEN '61'
        WHEN 'AW' THEN '297'
        WHEN 'AX' THEN '358'
        WHEN 'AZ' THEN '994' END
    WHEN 'B' THEN CASE region
        WHEN 'BA' THEN '387'
        WHEN 'BB' THEN '1'
        WHEN 'BD' THEN '880'
        WHEN 'BE' THEN '32'
        WHEN 'BF' THEN '226'
        WHEN 'BG' THEN '359'
        WHEN 'BH' THEN '973'
        WHEN 'BI' THEN '257'
        WHEN 'BJ' THEN '229'
        WHEN 'BL' THEN '590'
        WHEN 'BM' THEN '1'
        WHEN 'BN' THEN '673'
        WHEN 'BO' THEN '591'
        WHEN 'BQ' THEN '599'
        WHEN 'BR' THEN '55'
        WHEN 'BS' THEN '1'
        WHEN 'BT' THEN '975'
        WHEN 'BW' THEN '267'
        WHEN 'BY' THEN '375'
        WHEN 'BZ' THEN '501' END
    WHEN 'C' THEN CASE region
        WHEN 'CA' THEN '1'
        WHEN 'CC' THEN '61'
        WHEN 'CD' THEN '243'
        WHEN 'CF' THEN '236'
        WHEN 'CG' THEN '242'
        WHEN 'CH' THEN '41'
        WHEN 'CI' THEN '225'
        WHEN 'CK' THEN '682'
        WHEN 'CL' THEN '56'
        WHEN 'CM' THEN '237'
        WHEN 'CN' THEN '86'
        WHEN 'CO' THEN '57'
        WHEN 'CR' THEN '506'
        WHEN 'CU' THEN '53'
        WHEN 'CV' THEN '238'
        WHEN 'CW' THEN '599'
        WHEN 'CX' THEN '61'
        WHEN 'CY' THEN '357'
        WHEN 'CZ' THEN '420' END
    WHEN 'D' THEN CASE region
        WHEN 'DE' THEN '49'
        WHEN 'DJ' THEN '253'
        WHEN 'DK' THEN '45'
        WHEN 'DM' THEN '1'
        WHEN 'DO' THEN '1'
        WHEN 'DZ' THEN '213' END
    WHEN 'E' THEN CASE region
        WHEN 'EC' THEN '593'
        WHEN 'EE' THEN '372'
        WHEN 'EG' THEN '20'
        WHEN 'EH' THEN '212'
        WHEN 'ER' THEN '291'
        WHEN 'ES' THEN '34'
        WHEN 'ET' THEN '251' END
    WHEN 'F' THEN CASE region
        WHEN 'FI' THEN '358'
        WHEN 'FJ' THEN '679'
        WHEN 'FK' THEN '500'
        WHEN 'FM' THEN '691'
        WHEN 'FO' THEN '298'
        WHEN 'FR' THEN '33' END
    WHEN 'G' THEN CASE region
        WHEN 'GA' THEN '241'
        WHEN 'GB' THEN '44'
        WHEN 'GD' THEN '1'
        WHEN 'GE' THEN '995'
        WHEN 'GF' THEN '594'
        WHEN 'GG' THEN '44'
        WHEN 'GH' THEN '233'
        WHEN 'GI' THEN '350'
        WHEN 'GL' THEN '299'
        WHEN 'GM' THEN '220'
        WHEN 'GN' THEN '224'
        WHEN 'GP' THEN '590'
        WHEN 'GQ' THEN '240'
        WHEN 'GR' THEN '30'
        WHEN 'GT' THEN '502'
        WHEN 'GU' THEN '1'
        WHEN 'GW' THEN '245'
        WHEN 'GY' THEN '592' END
    WHEN 'H' THEN CASE region
        WHEN 'HK' THEN '852'
        WHEN 'HN' THEN '504'
        WHEN 'HR' THEN '385'
        WHEN 'HT' THEN '509'
        WHEN 'HU' THEN '36' END
    WHEN 'I' THEN CASE region
        WHEN 'ID' THEN '62'
        WHEN 'IE' THEN '353'
        WHEN 'IL' THEN '972'
        WHEN 'IM' THEN '44'
        WHEN 'IN' THEN '91'
        WHEN 'IO' THEN '246'
        WHEN 'IQ' THEN '964'
        WHEN 'IR' THEN '98'
        WHEN 'IS' THEN '354'
        WHEN 'IT' THEN '39' END
    WHEN 'J' THEN CASE region
        WHEN 'JE' THEN '44'
        WHEN 'JM' THEN '1'
        WHEN 'JO' THEN '962'
        WHEN 'JP' THEN '81' END
    WHEN 'K' THEN CASE region
        WHEN 'KE' THEN '254'
        WHEN 'KG' THEN '996'
        WHEN 'KH' THEN '855'
        WHEN 'KI' THEN '686'
        WHEN 'KM' THEN '269'
        WHEN 'KN' THEN '1'
        WHEN 'KP' THEN '850'
        WHEN 'KR' THEN '82'
        WHEN 'KW' THEN '965'
        WHEN 'KY' THEN '1'
        WHEN 'KZ' THEN '7' END
    WHEN 'L' THEN CASE region
        WHEN 'LA' THEN '856'
        WHEN 'LB' THEN '961'
        WHEN 'LC' THEN '1'
        WHEN 'LI' THEN '423'
        WHEN 'LK' THEN '94'
        WHEN 'LR' THEN '231'
        WHEN 'LS' THEN '266'
        WHEN 'LT' THEN '370'
        WHEN 'LU' THEN '352'
        WHEN 'LV' THEN '371'
        WHEN 'LY' THEN '218' END
    WHEN 'M' THEN CASE region
        WHEN 'MA' THEN '212'
        WHEN 'MC' THEN '377'
        WHEN 'MD' THEN '373'
        WHEN 'ME' THEN '382'
        WHEN 'MF' THEN '590'
        WHEN 'MG' THEN '261'
        WHEN 'MH' THEN '692'
        WHEN 'MK' THEN '389'
        WHEN 'ML' THEN '223'
        WHEN 'MM' THEN '95'
        WHEN 'MN' THEN '976'
        WHEN 'MO' THEN '853'
        WHEN 'MP' THEN '1'
        WHEN 'MQ' THEN '596'
        WHEN 'MR' THEN '222'
        WHEN 'MS' THEN '1'
        WHEN 'MT' THEN '356'
        WHEN 'MU' THEN '230'
        WHEN 'MV' THEN '960'
        WHEN 'MW' THEN '265'
        WHEN 'MX' THEN '52'
        WHEN 'MY' THEN '60'
        WHEN 'MZ' THEN '258' END
    WHEN 'N' THEN CASE region
        WHEN 'NA' THEN '264'
        WHEN 'NC' THEN '687'
        WHEN 'NE' THEN '227'
        WHEN 'NF' THEN '672'
        WHEN 'NG' THEN '234'
        WHEN 'NI' THEN '505'
        WHEN 'NL' THEN '31'
        WHEN 'NO' THEN '47'
        WHEN 'NP' THEN '977'
        WHEN 'NR' THEN '674'
        WHEN 'NU' THEN '683'
        WHEN 'NZ' THEN '64' END
    WHEN 'O' THEN CASE region
        WHEN 'OM' THEN '968' END
    WHEN 'P' THEN CASE region
        WHEN 'PA' THEN '507'
        WHEN 'PE' THEN '51'
        WHEN 'PF' THEN '689'
        WHEN 'PG' THEN '675'
        WHEN 'PH' THEN '63'
        WHEN 'PK' THEN '92'
        WHEN 'PL' THEN '48'
        WHEN 'PM' THEN '508'
        WHEN 'PR' THEN '1'
        WHEN 'PS' THEN '970'
        WHEN 'PT' THEN '351'
        WHEN 'PW' THEN '680'
        WHEN 'PY' THEN '595' END
    WHEN 'Q' THEN CASE region
        WHEN 'QA' THEN '974' END
    WHEN 'R' THEN CASE region
        WHEN 'RE' THEN '262'
        WHEN 'RO' THEN '40'
        WHEN 'RS' THEN '381'
        WHEN 'RU' THEN '7'
        WHEN 'RW' THEN '250' END
    WHEN 'S' THEN CASE region
        WHEN 'SA' THEN '966'
        WHEN 'SB' THEN '677'
        WHEN 'SC' THEN '248'
        WHEN 'SD' THEN '249'
        WHEN 'SE' THEN '46'
        WHEN 'SG' THEN '65'
        WHEN 'SH' THEN '290'
        WHEN 'SI' THEN '386'
        WHEN 'SJ' THEN '47'
        WHEN 'SK' THEN '421'
        WHEN 'SL' THEN '232'
        WHEN 'SM' THEN '378'
        WHEN 'SN' THEN '221'
        WHEN 'SO' THEN '252'
        WHEN 'SR' THEN '597'
        WHEN 'SS' THEN '211'
        WHEN 'ST' THEN '239'
        WHEN 'SV' THEN '503'
        WHEN 'SX' THEN '1'
        WHEN 'SY' THEN '963'
        WHEN 'SZ' THEN '268' END
    WHEN 'T' THEN CASE region
        WHEN 'TA' THEN '290'
        WHEN 'TC' THEN '1'
        WHEN 'TD' THEN '235'
        WHEN 'TG' THEN '228'
        WHEN 'TH' THEN '66'
        WHEN 'TJ' THEN '992'
        WHEN 'TK' THEN '690'
        WHEN 'TL' THEN '670'
        WHEN 'TM' THEN '993'
        WHEN 'TN' THEN '216'
        WHEN 'TO' THEN '676'
        WHEN 'TR' THEN '90'
        WHEN 'TT' THEN '1'
        WHEN 'TV' THEN '688'
        WHEN 'TW' THEN '886'
        WHEN 'TZ' THEN '255' END
    WHEN 'U' THEN CASE region
        WHEN 'UA' THEN '380'
        WHEN 'UG' THEN '256'
        WHEN 'US' THEN '1'
        WHEN 'UY' THEN '598'
        WHEN 'UZ' THEN '998' END
    WHEN 'V' THEN CASE region
        WHEN 'VA' THEN '39'
        WHEN 'VC' THEN '1'
        WHEN 'VE' THEN '58'
        WHEN 'VG' THEN '1'
        WHEN 'VI' THEN '1'
        WHEN 'VN' THEN '84'
        WHEN 'VU' THEN '678' END
    WHEN 'W' THEN CASE region
        WHEN 'WF' THEN '681'
        WHEN 'WS' THEN '685' END
    WHEN 'X' THEN CASE region
        WHEN 'XK' THEN '383' END
    WHEN 'Y' THEN CASE region
        WHEN 'YE' THEN '967'
        WHEN 'YT' THEN '262' END
    WHEN 'Z' THEN CASE region
        WHEN 'ZA' THEN '27'
        WHEN 'ZM' THEN '260'
        WHEN 'ZW' THEN '263' END END;
-- The region parse() takes a number's national prefix from when the lead has no known
-- country (validator::source_for): the calling code's only region; for a code shared by
-- several regions, the main one (used when the number is valid for the code).
CREATE OR REPLACE TEMP MACRO lr_phone_cc_region(cc) AS CASE left(cc, 1)
    WHEN '1' THEN CASE cc
        WHEN '1' THEN 'US' END
    WHEN '2' THEN CASE cc
        WHEN '20' THEN 'EG'
        WHEN '211' THEN 'SS'
        WHEN '212' THEN 'MA'
        WHEN '213' THEN 'DZ'
        WHEN '216' THEN 'TN'
        WHEN '218' THEN 'LY'
        WHEN '220' THEN 'GM'
        WHEN '221' THEN 'SN'
        WHEN '222' THEN 'MR'
        WHEN '223' THEN 'ML'
        WHEN '224' THEN 'GN'
        WHEN '225' THEN 'CI'
        WHEN '226' THEN 'BF'
        WHEN '227' THEN 'NE'
        WHEN '228' THEN 'TG'
        WHEN '229' THEN 'BJ'
        WHEN '230' THEN 'MU'
        WHEN '231' THEN 'LR'
        WHEN '232' THEN 'SL'
        WHEN '233' THEN 'GH'
        WHEN '234' THEN 'NG'
        WHEN '235' THEN 'TD'
        WHEN '236' THEN 'CF'
        WHEN '237' THEN 'CM'
        WHEN '238' THEN 'CV'
        WHEN '239' THEN 'ST'
        WHEN '240' THEN 'GQ'
        WHEN '241' THEN 'GA'
        WHEN '242' THEN 'CG'
        WHEN '243' THEN 'CD'
        WHEN '244' THEN 'AO'
        WHEN '245' THEN 'GW'
        WHEN '246' THEN 'IO'
        WHEN '247' THEN 'AC'
        WHEN '248' THEN 'SC'
        WHEN '249' THEN 'SD'
        WHEN '250' THEN 'RW'
        WHEN '251' THEN 'ET'
        WHEN '252' THEN 'SO'
        WHEN '253' THEN 'DJ'
        WHEN '254' THEN 'KE'
        WHEN '255' THEN 'TZ'
        WHEN '256' THEN 'UG'
        WHEN '257' THEN 'BI'
        WHEN '258' THEN 'MZ'
        WHEN '260' THEN 'ZM'
        WHEN '261' THEN 'MG'
        WHEN '262' THEN 'RE'
        WHEN '263' THEN 'ZW'
        WHEN '264' THEN 'NA'
        WHEN '265' THEN 'MW'
        WHEN '266' THEN 'LS'
        WHEN '267' THEN 'BW'
        WHEN '268' THEN 'SZ'
        WHEN '269' THEN 'KM'
        WHEN '27' THEN 'ZA'
        WHEN '290' THEN 'SH'
        WHEN '291' THEN 'ER'
        WHEN '297' THEN 'AW'
        WHEN '298' THEN 'FO'
        WHEN '299' THEN 'GL' END
    WHEN '3' THEN CASE cc
        WHEN '30' THEN 'GR'
        WHEN '31' THEN 'NL'
        WHEN '32' THEN 'BE'
        WHEN '33' THEN 'FR'
        WHEN '34' THEN 'ES'
        WHEN '350' THEN 'GI'
        WHEN '351' THEN 'PT'
        WHEN '352' THEN 'LU'
        WHEN '353' THEN 'IE'
        WHEN '354' THEN 'IS'
        WHEN '355' THEN 'AL'
        WHEN '356' THEN 'MT'
        WHEN '357' THEN 'CY'
        WHEN '358' THEN 'FI'
        WHEN '359' THEN 'BG'
        WHEN '36' THEN 'HU'
        WHEN '370' THEN 'LT'
        WHEN '371' THEN 'LV'
        WHEN '372' THEN 'EE'
        WHEN '373' THEN 'MD'
        WHEN '374' THEN 'AM'
        WHEN '375' THEN 'BY'
        WHEN '376' THEN 'AD'
        WHEN '377' THEN 'MC'
        WHEN '378' THEN 'SM'
        WHEN '380' THEN 'UA'
        WHEN '381' THEN 'RS'
        WHEN '382' THEN 'ME'
        WHEN '383' THEN 'XK'
        WHEN '385' THEN 'HR'
        WHEN '386' THEN 'SI'
        WHEN '387' THEN 'BA'
        WHEN '389' THEN 'MK'
        WHEN '39' THEN 'IT' END
    WHEN '4' THEN CASE cc
        WHEN '40' THEN 'RO'
        WHEN '41' THEN 'CH'
        WHEN '420' THEN 'CZ'
        WHEN '421' THEN 'SK'
        WHEN '423' THEN 'LI'
        WHEN '43' THEN 'AT'
        WHEN '44' THEN 'GB'
        WHEN '45' THEN 'DK'
        WHEN '46' THEN 'SE'
        WHEN '47' THEN 'NO'
        WHEN '48' THEN 'PL'
        WHEN '49' THEN 'DE' END
    WHEN '5' THEN CASE cc
        WHEN '500' THEN 'FK'
        WHEN '501' THEN 'BZ'
        WHEN '502' THEN 'GT'
        WHEN '503' THEN 'SV'
        WHEN '504' THEN 'HN'
        WHEN '505' THEN 'NI'
        WHEN '506' THEN 'CR'
        WHEN '507' THEN 'PA'
        WHEN '508' THEN 'PM'
        WHEN '509' THEN 'HT'
        WHEN '51' THEN 'PE'
        WHEN '52' THEN 'MX'
        WHEN '53' THEN 'CU'
        WHEN '54' THEN 'AR'
        WHEN '55' THEN 'BR'
        WHEN '56' THEN 'CL'
        WHEN '57' THEN 'CO'
        WHEN '58' THEN 'VE'
        WHEN '590' THEN 'GP'
        WHEN '591' THEN 'BO'
        WHEN '592' THEN 'GY'
        WHEN '593' THEN 'EC'
        WHEN '594' THEN 'GF'
        WHEN '595' THEN 'PY'
        WHEN '596' THEN 'MQ'
        WHEN '597' THEN 'SR'
        WHEN '598' THEN 'UY'
        WHEN '599' THEN 'CW' END
    WHEN '6' THEN CASE cc
        WHEN '60' THEN 'MY'
        WHEN '61' THEN 'AU'
        WHEN '62' THEN 'ID'
        WHEN '63' THEN 'PH'
        WHEN '64' THEN 'NZ'
        WHEN '65' THEN 'SG'
        WHEN '66' THEN 'TH'
        WHEN '670' THEN 'TL'
        WHEN '672' THEN 'NF'
        WHEN '673' THEN 'BN'
        WHEN '674' THEN 'NR'
        WHEN '675' THEN 'PG'
        WHEN '676' THEN 'TO'
        WHEN '677' THEN 'SB'
        WHEN '678' THEN 'VU'
        WHEN '679' THEN 'FJ'
        WHEN '680' THEN 'PW'
        WHEN '681' THEN 'WF'
        WHEN '682' THEN 'CK'
        WHEN '683' THEN 'NU'
        WHEN '685' THEN 'WS'
        WHEN '686' THEN 'KI'
        WHEN '687' THEN 'NC'
        WHEN '688' THEN 'TV'
        WHEN '689' THEN 'PF'
        WHEN '690' THEN 'TK'
        WHEN '691' THEN 'FM'
        WHEN '692' THEN 'MH' END
    WHEN '7' THEN CASE cc
        WHEN '7' THEN 'RU' END
    WHEN '8' THEN CASE cc
        WHEN '81' THEN 'JP'
        WHEN '82' THEN 'KR'
        WHEN '84' THEN 'VN'
        WHEN '850' THEN 'KP'
        WHEN '852' THEN 'HK'
        WHEN '853' THEN 'MO'
        WHEN '855' THEN 'KH'
        WHEN '856' THEN 'LA'
        WHEN '86' THEN 'CN'
        WHEN '880' THEN 'BD'
        WHEN '886' THEN 'TW' END
    WHEN '9' THEN CASE cc
        WHEN '90' THEN 'TR'
        WHEN '91' THEN 'IN'
        WHEN '92' THEN 'PK'
        WHEN '93' THEN 'AF'
        WHEN '94' THEN 'LK'
        WHEN '95' THEN 'MM'
        WHEN '960' THEN 'MV'
        WHEN '961' THEN 'LB'
        WHEN '962' THEN 'JO'
        WHEN '963' THEN 'SY'
        WHEN '964' THEN 'IQ'
        WHEN '965' THEN 'KW'
        WHEN '966' THEN 'SA'
        WHEN '967' THEN 'YE'
        WHEN '968' THEN 'OM'
        WHEN '970' THEN 'PS'
        WHEN '971' THEN 'AE'
        WHEN '972' THEN 'IL'
        WHEN '973' THEN 'BH'
        WHEN '974' THEN 'QA'
        WHEN '975' THEN 'BT'
        WHEN '976' THEN 'MN'
        WHEN '977' THEN 'NP'
        WHEN '98' THEN 'IR'
        WHEN '992' THEN 'TJ'
        WHEN '993' THEN 'TM'
        WHEN '994' THEN 'AZ'
        WHEN '995' THEN 'GE'
        WHEN '996' THEN 'KG'
        WHEN '998' THEN 'UZ' END END;
CREATE OR REPLACE TEMP MACRO lr_phone_cc_shared(cc) AS cc IN ('1', '212', '262', '290', '358', '39', '44', '47', '590', '599', '61', '7');
-- The digits after the region's international (IDD) prefix, when the number starts with
-- it and the next digit is not 0 (helper::international_prefix); else NULL.
CREATE OR REPLACE TEMP MACRO lr_phone_after_idd(region, d) AS CASE left(region, 1)
    WHEN 'A' THEN CASE region
        WHEN 'AC' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AD' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AF' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AG' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'AI' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'AL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AS' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'AT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AU' THEN nullif(regexp_extract(d, '^(?:001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011)([1-9][0-9]*)$', 1), '')
        WHEN 'AW' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'AX' THEN nullif(regexp_extract(d, '^(?:00|99(?:[01469]|5(?:[14]1|3[23]|5[59]|77|88|9[09])))([1-9][0-9]*)$', 1), '')
        WHEN 'AZ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'B' THEN CASE region
        WHEN 'BA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BB' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'BD' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BF' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BG' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BH' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BI' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BJ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BM' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'BN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BO' THEN nullif(regexp_extract(d, '^(?:00(?:1\d)?)([1-9][0-9]*)$', 1), '')
        WHEN 'BQ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BR' THEN nullif(regexp_extract(d, '^(?:00(?:1[245]|2[1-35]|31|4[13]|[56]5|99))([1-9][0-9]*)$', 1), '')
        WHEN 'BS' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'BT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BW' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'BY' THEN nullif(regexp_extract(d, '^(?:810)([1-9][0-9]*)$', 1), '')
        WHEN 'BZ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'C' THEN CASE region
        WHEN 'CA' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'CC' THEN nullif(regexp_extract(d, '^(?:001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011)([1-9][0-9]*)$', 1), '')
        WHEN 'CD' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CF' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CG' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CH' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CI' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CL' THEN nullif(regexp_extract(d, '^(?:(?:0|1(?:1[0-69]|2[02-5]|5[13-58]|69|7[0167]|8[018]))0)([1-9][0-9]*)$', 1), '')
        WHEN 'CM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CN' THEN nullif(regexp_extract(d, '^(?:00|1(?:[12]\d|79)\d\d00)([1-9][0-9]*)$', 1), '')
        WHEN 'CO' THEN nullif(regexp_extract(d, '^(?:00(?:4(?:[14]4|56)|[579]))([1-9][0-9]*)$', 1), '')
        WHEN 'CR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CU' THEN nullif(regexp_extract(d, '^(?:119)([1-9][0-9]*)$', 1), '')
        WHEN 'CV' THEN nullif(regexp_extract(d, '^(?:0)([1-9][0-9]*)$', 1), '')
        WHEN 'CW' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CX' THEN nullif(regexp_extract(d, '^(?:001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011)([1-9][0-9]*)$', 1), '')
        WHEN 'CY' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'CZ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'D' THEN CASE region
        WHEN 'DE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'DJ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'DK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'DM' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'DO' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'DZ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'E' THEN CASE region
        WHEN 'EC' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'EE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'EG' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'EH' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'ER' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'ES' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'ET' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'F' THEN CASE region
        WHEN 'FI' THEN nullif(regexp_extract(d, '^(?:00|99(?:[01469]|5(?:[14]1|3[23]|5[59]|77|88|9[09])))([1-9][0-9]*)$', 1), '')
        WHEN 'FJ' THEN nullif(regexp_extract(d, '^(?:0(?:0|52))([1-9][0-9]*)$', 1), '')
        WHEN 'FK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'FM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'FO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'FR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'G' THEN CASE region
        WHEN 'GA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GB' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GD' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'GE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GF' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GG' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GH' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GI' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GP' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GQ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GU' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'GW' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'GY' THEN nullif(regexp_extract(d, '^(?:001)([1-9][0-9]*)$', 1), '') END
    WHEN 'H' THEN CASE region
        WHEN 'HK' THEN nullif(regexp_extract(d, '^(?:00(?:30|5[09]|[126-9]?))([1-9][0-9]*)$', 1), '')
        WHEN 'HN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'HR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'HT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'HU' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'I' THEN CASE region
        WHEN 'ID' THEN nullif(regexp_extract(d, '^(?:00[89])([1-9][0-9]*)$', 1), '')
        WHEN 'IE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'IL' THEN nullif(regexp_extract(d, '^(?:0(?:0|1[2-9]))([1-9][0-9]*)$', 1), '')
        WHEN 'IM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'IN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'IO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'IQ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'IR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'IS' THEN nullif(regexp_extract(d, '^(?:00|1(?:0(?:01|[12]0)|100))([1-9][0-9]*)$', 1), '')
        WHEN 'IT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'J' THEN CASE region
        WHEN 'JE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'JM' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'JO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'JP' THEN nullif(regexp_extract(d, '^(?:010)([1-9][0-9]*)$', 1), '') END
    WHEN 'K' THEN CASE region
        WHEN 'KE' THEN nullif(regexp_extract(d, '^(?:000)([1-9][0-9]*)$', 1), '')
        WHEN 'KG' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'KH' THEN nullif(regexp_extract(d, '^(?:00[14-9])([1-9][0-9]*)$', 1), '')
        WHEN 'KI' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'KM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'KN' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'KP' THEN nullif(regexp_extract(d, '^(?:00|99)([1-9][0-9]*)$', 1), '')
        WHEN 'KR' THEN nullif(regexp_extract(d, '^(?:00(?:[125689]|3(?:[46]5|91)|7(?:00|27|3|55|6[126])))([1-9][0-9]*)$', 1), '')
        WHEN 'KW' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'KY' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'KZ' THEN nullif(regexp_extract(d, '^(?:810)([1-9][0-9]*)$', 1), '') END
    WHEN 'L' THEN CASE region
        WHEN 'LA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LB' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LC' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'LI' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LS' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LU' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LV' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'LY' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'M' THEN CASE region
        WHEN 'MA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MC' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MD' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'ME' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MF' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MG' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MH' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'MK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'ML' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MN' THEN nullif(regexp_extract(d, '^(?:001)([1-9][0-9]*)$', 1), '')
        WHEN 'MO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MP' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'MQ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MS' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'MT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MU' THEN nullif(regexp_extract(d, '^(?:0(?:0|[24-7]0|3[03]))([1-9][0-9]*)$', 1), '')
        WHEN 'MV' THEN nullif(regexp_extract(d, '^(?:0(?:0|19))([1-9][0-9]*)$', 1), '')
        WHEN 'MW' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MX' THEN nullif(regexp_extract(d, '^(?:0[09])([1-9][0-9]*)$', 1), '')
        WHEN 'MY' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'MZ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'N' THEN CASE region
        WHEN 'NA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NC' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NF' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NG' THEN nullif(regexp_extract(d, '^(?:009)([1-9][0-9]*)$', 1), '')
        WHEN 'NI' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NP' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NU' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'NZ' THEN nullif(regexp_extract(d, '^(?:0(?:0|161))([1-9][0-9]*)$', 1), '') END
    WHEN 'O' THEN CASE region
        WHEN 'OM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'P' THEN CASE region
        WHEN 'PA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'PE' THEN nullif(regexp_extract(d, '^(?:00|19(?:1[124]|77|90)00)([1-9][0-9]*)$', 1), '')
        WHEN 'PF' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'PG' THEN nullif(regexp_extract(d, '^(?:00|140[1-3])([1-9][0-9]*)$', 1), '')
        WHEN 'PH' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'PK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'PL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'PM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'PR' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'PS' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'PT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'PW' THEN nullif(regexp_extract(d, '^(?:01[12])([1-9][0-9]*)$', 1), '')
        WHEN 'PY' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'Q' THEN CASE region
        WHEN 'QA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'R' THEN CASE region
        WHEN 'RE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'RO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'RS' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'RU' THEN nullif(regexp_extract(d, '^(?:810)([1-9][0-9]*)$', 1), '')
        WHEN 'RW' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'S' THEN CASE region
        WHEN 'SA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SB' THEN nullif(regexp_extract(d, '^(?:0[01])([1-9][0-9]*)$', 1), '')
        WHEN 'SC' THEN nullif(regexp_extract(d, '^(?:010|0[0-2])([1-9][0-9]*)$', 1), '')
        WHEN 'SD' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SG' THEN nullif(regexp_extract(d, '^(?:0[0-3]\d)([1-9][0-9]*)$', 1), '')
        WHEN 'SH' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SI' THEN nullif(regexp_extract(d, '^(?:00|10(?:22|66|88|99))([1-9][0-9]*)$', 1), '')
        WHEN 'SJ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SS' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'ST' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SV' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SX' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'SY' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'SZ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'T' THEN CASE region
        WHEN 'TA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'TC' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'TD' THEN nullif(regexp_extract(d, '^(?:00|16)([1-9][0-9]*)$', 1), '')
        WHEN 'TG' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'TH' THEN nullif(regexp_extract(d, '^(?:00[1-9])([1-9][0-9]*)$', 1), '')
        WHEN 'TJ' THEN nullif(regexp_extract(d, '^(?:810)([1-9][0-9]*)$', 1), '')
        WHEN 'TK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'TL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'TM' THEN nullif(regexp_extract(d, '^(?:810)([1-9][0-9]*)$', 1), '')
        WHEN 'TN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'TO' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'TR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'TT' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'TV' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'TW' THEN nullif(regexp_extract(d, '^(?:0(?:0[25-79]|19))([1-9][0-9]*)$', 1), '')
        WHEN 'TZ' THEN nullif(regexp_extract(d, '^(?:00[056])([1-9][0-9]*)$', 1), '') END
    WHEN 'U' THEN CASE region
        WHEN 'UA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'UG' THEN nullif(regexp_extract(d, '^(?:00[057])([1-9][0-9]*)$', 1), '')
        WHEN 'US' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'UY' THEN nullif(regexp_extract(d, '^(?:0(?:0|1[3-9]\d))([1-9][0-9]*)$', 1), '')
        WHEN 'UZ' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'V' THEN CASE region
        WHEN 'VA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'VC' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'VE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'VG' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'VI' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
        WHEN 'VN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'VU' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'W' THEN CASE region
        WHEN 'WF' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'WS' THEN nullif(regexp_extract(d, '^(?:0)([1-9][0-9]*)$', 1), '') END
    WHEN 'X' THEN CASE region
        WHEN 'XK' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'Y' THEN CASE region
        WHEN 'YE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'YT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END
    WHEN 'Z' THEN CASE region
        WHEN 'ZA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'ZM' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
        WHEN 'ZW' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '') END END;
-- The national number with the national prefix removed the way the phonenumber crate
-- does it (helper::national_number): national_prefix_for_parsing with its transform rule,
-- or else the national prefix. (parser::parse then removes the national prefix once more.)
CREATE OR REPLACE TEMP MACRO lr_phone_strip_np1(region, n) AS CASE left(region, 1)
    WHEN 'A' THEN CASE region
        WHEN 'AE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'AF' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'AG' THEN CASE WHEN NOT regexp_matches(n, '^(?:([457]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([457]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([457]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:268|[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([457]\d{6})$|1)', '268\1'), '^(?:(?:268|[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([457]\d{6})$|1)', '268\1') END
        WHEN 'AI' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2457]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2457]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2457]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:264|[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2457]\d{6})$|1)', '264\1'), '^(?:(?:264|[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2457]\d{6})$|1)', '264\1') END
        WHEN 'AL' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'AM' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'AR' THEN CASE WHEN NOT regexp_matches(n, '^(?:0?(?:(11|2(?:2(?:02?|[13]|2[13-79]|4[1-6]|5[2457]|6[124-8]|7[1-4]|8[13-6]|9[1267])|3(?:02?|1[467]|2[03-6]|3[13-8]|[49][2-6]|5[2-8]|[67])|4(?:7[3-578]|9)|6(?:[0136]|2[24-6]|4[6-8]?|5[15-8])|80|9(?:0[1-3]|[19]|2\d|3[1-6]|4[02568]?|5[2-4]|6[2-46]|72?|8[23]?))|3(?:3(?:2[79]|6|8[2578])|4(?:0[0-24-9]|[12]|3[5-8]?|4[24-7]|5[4-68]?|6[02-9]|7[126]|8[2379]?|9[1-36-8])|5(?:1|2[1245]|3[237]?|4[1-46-9]|6[2-4]|7[1-6]|8[2-5]?)|6[24]|7(?:[069]|1[1568]|2[15]|3[145]|4[13]|5[14-8]|7[2-57]|8[126])|8(?:[01]|2[15-7]|3[2578]?|4[13-6]|5[4-8]?|6[1-357-9]|7[36-8]?|8[5-8]?|9[124])))15)?)') THEN n WHEN regexp_extract(n, '^(?:0?(?:(11|2(?:2(?:02?|[13]|2[13-79]|4[1-6]|5[2457]|6[124-8]|7[1-4]|8[13-6]|9[1267])|3(?:02?|1[467]|2[03-6]|3[13-8]|[49][2-6]|5[2-8]|[67])|4(?:7[3-578]|9)|6(?:[0136]|2[24-6]|4[6-8]?|5[15-8])|80|9(?:0[1-3]|[19]|2\d|3[1-6]|4[02568]?|5[2-4]|6[2-46]|72?|8[23]?))|3(?:3(?:2[79]|6|8[2578])|4(?:0[0-24-9]|[12]|3[5-8]?|4[24-7]|5[4-68]?|6[02-9]|7[126]|8[2379]?|9[1-36-8])|5(?:1|2[1245]|3[237]?|4[1-46-9]|6[2-4]|7[1-6]|8[2-5]?)|6[24]|7(?:[069]|1[1568]|2[15]|3[145]|4[13]|5[14-8]|7[2-57]|8[126])|8(?:[01]|2[15-7]|3[2578]?|4[13-6]|5[4-8]?|6[1-357-9]|7[36-8]?|8[5-8]?|9[124])))15)?)', 1) = '' THEN regexp_replace(n, '^(?:0?(?:(11|2(?:2(?:02?|[13]|2[13-79]|4[1-6]|5[2457]|6[124-8]|7[1-4]|8[13-6]|9[1267])|3(?:02?|1[467]|2[03-6]|3[13-8]|[49][2-6]|5[2-8]|[67])|4(?:7[3-578]|9)|6(?:[0136]|2[24-6]|4[6-8]?|5[15-8])|80|9(?:0[1-3]|[19]|2\d|3[1-6]|4[02568]?|5[2-4]|6[2-46]|72?|8[23]?))|3(?:3(?:2[79]|6|8[2578])|4(?:0[0-24-9]|[12]|3[5-8]?|4[24-7]|5[4-68]?|6[02-9]|7[126]|8[2379]?|9[1-36-8])|5(?:1|2[1245]|3[237]?|4[1-46-9]|6[2-4]|7[1-6]|8[2-5]?)|6[24]|7(?:[069]|1[1568]|2[15]|3[145]|4[13]|5[14-8]|7[2-57]|8[126])|8(?:[01]|2[15-7]|3[2578]?|4[13-6]|5[4-8]?|6[1-357-9]|7[36-8]?|8[5-8]?|9[124])))15)?)', '') WHEN regexp_matches(n, '^(?:(?:11|[89]\d\d)\d{8}|[2368]\d{9})') AND NOT regexp_matches(regexp_replace(n, '^(?:0?(?:(11|2(?:2(?:02?|[13]|2[13-79]|4[1-6]|5[2457]|6[124-8]|7[1-4]|8[13-6]|9[1267])|3(?:02?|1[467]|2[03-6]|3[13-8]|[49][2-6]|5[2-8]|[67])|4(?:7[3-578]|9)|6(?:[0136]|2[24-6]|4[6-8]?|5[15-8])|80|9(?:0[1-3]|[19]|2\d|3[1-6]|4[02568]?|5[2-4]|6[2-46]|72?|8[23]?))|3(?:3(?:2[79]|6|8[2578])|4(?:0[0-24-9]|[12]|3[5-8]?|4[24-7]|5[4-68]?|6[02-9]|7[126]|8[2379]?|9[1-36-8])|5(?:1|2[1245]|3[237]?|4[1-46-9]|6[2-4]|7[1-6]|8[2-5]?)|6[24]|7(?:[069]|1[1568]|2[15]|3[145]|4[13]|5[14-8]|7[2-57]|8[126])|8(?:[01]|2[15-7]|3[2578]?|4[13-6]|5[4-8]?|6[1-357-9]|7[36-8]?|8[5-8]?|9[124])))15)?)', '9\1'), '^(?:(?:11|[89]\d\d)\d{8}|[2368]\d{9})') THEN n ELSE regexp_replace(n, '^(?:0?(?:(11|2(?:2(?:02?|[13]|2[13-79]|4[1-6]|5[2457]|6[124-8]|7[1-4]|8[13-6]|9[1267])|3(?:02?|1[467]|2[03-6]|3[13-8]|[49][2-6]|5[2-8]|[67])|4(?:7[3-578]|9)|6(?:[0136]|2[24-6]|4[6-8]?|5[15-8])|80|9(?:0[1-3]|[19]|2\d|3[1-6]|4[02568]?|5[2-4]|6[2-46]|72?|8[23]?))|3(?:3(?:2[79]|6|8[2578])|4(?:0[0-24-9]|[12]|3[5-8]?|4[24-7]|5[4-68]?|6[02-9]|7[126]|8[2379]?|9[1-36-8])|5(?:1|2[1245]|3[237]?|4[1-46-9]|6[2-4]|7[1-6]|8[2-5]?)|6[24]|7(?:[069]|1[1568]|2[15]|3[145]|4[13]|5[14-8]|7[2-57]|8[126])|8(?:[01]|2[15-7]|3[2578]?|4[13-6]|5[4-8]?|6[1-357-9]|7[36-8]?|8[5-8]?|9[124])))15)?)', '9\1') END
        WHEN 'AS' THEN CASE WHEN NOT regexp_matches(n, '^(?:([267]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([267]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([267]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|684|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([267]\d{6})$|1)', '684\1'), '^(?:(?:[58]\d\d|684|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([267]\d{6})$|1)', '684\1') END
        WHEN 'AT' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'AU' THEN regexp_replace(n, '^(?:(183[12])|0)', '')
        WHEN 'AX' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'AZ' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'B' THEN CASE region
        WHEN 'BA' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'BB' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-9]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-9]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:246|[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '246\1'), '^(?:(?:246|[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '246\1') END
        WHEN 'BD' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'BE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'BG' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'BL' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'BM' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-9]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-9]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:441|[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '441\1'), '^(?:(?:441|[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '441\1') END
        WHEN 'BO' THEN regexp_replace(n, '^(?:0(1\d)?)', '')
        WHEN 'BR' THEN CASE WHEN NOT regexp_matches(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)') THEN n WHEN regexp_extract(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)', 2) = '' THEN regexp_replace(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)', '') WHEN regexp_matches(n, '^(?:[1-467]\d{9,10}|55[0-46-9]\d{8}|[34]\d{7}|55\d{7,8}|(?:5[0-46-9]|[89]\d)\d{7,9})') AND NOT regexp_matches(regexp_replace(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)', '\2'), '^(?:[1-467]\d{9,10}|55[0-46-9]\d{8}|[34]\d{7}|55\d{7,8}|(?:5[0-46-9]|[89]\d)\d{7,9})') THEN n ELSE regexp_replace(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)', '\2') END
        WHEN 'BS' THEN CASE WHEN NOT regexp_matches(n, '^(?:([3-8]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([3-8]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([3-8]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:242|[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([3-8]\d{6})$|1)', '242\1'), '^(?:(?:242|[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([3-8]\d{6})$|1)', '242\1') END
        WHEN 'BY' THEN regexp_replace(n, '^(?:0|80?)', '') ELSE n END
    WHEN 'C' THEN CASE region
        WHEN 'CA' THEN CASE WHEN starts_with(n, '1') THEN substr(n, 2) ELSE n END
        WHEN 'CC' THEN CASE WHEN NOT regexp_matches(n, '^(?:([59]\d{7})$|0)') THEN n WHEN regexp_extract(n, '^(?:([59]\d{7})$|0)', 1) = '' THEN regexp_replace(n, '^(?:([59]\d{7})$|0)', '') WHEN regexp_matches(n, '^(?:1(?:[0-79]\d{8}(?:\d{2})?|8[0-24-9]\d{7})|[148]\d{8}|1\d{5,7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([59]\d{7})$|0)', '8\1'), '^(?:1(?:[0-79]\d{8}(?:\d{2})?|8[0-24-9]\d{7})|[148]\d{8}|1\d{5,7})') THEN n ELSE regexp_replace(n, '^(?:([59]\d{7})$|0)', '8\1') END
        WHEN 'CD' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'CH' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'CN' THEN regexp_replace(n, '^(?:(1(?:[12]\d|79)\d\d)|0)', '')
        WHEN 'CO' THEN regexp_replace(n, '^(?:0([3579]|4(?:[14]4|56))?)', '')
        WHEN 'CR' THEN regexp_replace(n, '^(?:(19(?:0[0-2468]|1[09]|20|66|77|99)))', '')
        WHEN 'CU' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'CX' THEN CASE WHEN NOT regexp_matches(n, '^(?:([59]\d{7})$|0)') THEN n WHEN regexp_extract(n, '^(?:([59]\d{7})$|0)', 1) = '' THEN regexp_replace(n, '^(?:([59]\d{7})$|0)', '') WHEN regexp_matches(n, '^(?:1(?:[0-79]\d{8}(?:\d{2})?|8[0-24-9]\d{7})|[148]\d{8}|1\d{5,7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([59]\d{7})$|0)', '8\1'), '^(?:1(?:[0-79]\d{8}(?:\d{2})?|8[0-24-9]\d{7})|[148]\d{8}|1\d{5,7})') THEN n ELSE regexp_replace(n, '^(?:([59]\d{7})$|0)', '8\1') END ELSE n END
    WHEN 'D' THEN CASE region
        WHEN 'DE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'DM' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-7]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-7]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|767|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '767\1'), '^(?:(?:[58]\d\d|767|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '767\1') END
        WHEN 'DO' THEN CASE WHEN starts_with(n, '1') THEN substr(n, 2) ELSE n END
        WHEN 'DZ' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'E' THEN CASE region
        WHEN 'EC' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'EG' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'EH' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'ER' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'ET' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'F' THEN CASE region
        WHEN 'FI' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'FO' THEN regexp_replace(n, '^(?:(10(?:01|[12]0|88)))', '')
        WHEN 'FR' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'G' THEN CASE region
        WHEN 'GA' THEN CASE WHEN NOT regexp_matches(n, '^(?:0(11\d{6}|60\d{6}|61\d{6}|6[256]\d{6}|7[467]\d{6}))') THEN n WHEN regexp_extract(n, '^(?:0(11\d{6}|60\d{6}|61\d{6}|6[256]\d{6}|7[467]\d{6}))', 1) = '' THEN regexp_replace(n, '^(?:0(11\d{6}|60\d{6}|61\d{6}|6[256]\d{6}|7[467]\d{6}))', '') WHEN regexp_matches(n, '^(?:(?:[067]\d|11)\d{6}|[2-7]\d{6})') AND NOT regexp_matches(regexp_replace(n, '^(?:0(11\d{6}|60\d{6}|61\d{6}|6[256]\d{6}|7[467]\d{6}))', '\1'), '^(?:(?:[067]\d|11)\d{6}|[2-7]\d{6})') THEN n ELSE regexp_replace(n, '^(?:0(11\d{6}|60\d{6}|61\d{6}|6[256]\d{6}|7[467]\d{6}))', '\1') END
        WHEN 'GB' THEN regexp_replace(n, '^(?:0|180020)', '')
        WHEN 'GD' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-9]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-9]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:473|[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '473\1'), '^(?:(?:473|[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '473\1') END
        WHEN 'GE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'GF' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'GG' THEN CASE WHEN NOT regexp_matches(n, '^(?:([25-9]\d{5})$|0|180020)') THEN n WHEN regexp_extract(n, '^(?:([25-9]\d{5})$|0|180020)', 1) = '' THEN regexp_replace(n, '^(?:([25-9]\d{5})$|0|180020)', '') WHEN regexp_matches(n, '^(?:(?:1481|[357-9]\d{3})\d{6}|8\d{6}(?:\d{2})?)') AND NOT regexp_matches(regexp_replace(n, '^(?:([25-9]\d{5})$|0|180020)', '1481\1'), '^(?:(?:1481|[357-9]\d{3})\d{6}|8\d{6}(?:\d{2})?)') THEN n ELSE regexp_replace(n, '^(?:([25-9]\d{5})$|0|180020)', '1481\1') END
        WHEN 'GH' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'GP' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'GU' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-9]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-9]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|671|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '671\1'), '^(?:(?:[58]\d\d|671|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '671\1') END ELSE n END
    WHEN 'H' THEN CASE region
        WHEN 'HR' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'HU' THEN CASE WHEN starts_with(n, '06') THEN substr(n, 3) ELSE n END ELSE n END
    WHEN 'I' THEN CASE region
        WHEN 'ID' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'IE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'IL' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'IM' THEN CASE WHEN NOT regexp_matches(n, '^(?:([25-8]\d{5})$|0|180020)') THEN n WHEN regexp_extract(n, '^(?:([25-8]\d{5})$|0|180020)', 1) = '' THEN regexp_replace(n, '^(?:([25-8]\d{5})$|0|180020)', '') WHEN regexp_matches(n, '^(?:1624\d{6}|(?:[3578]\d|90)\d{8})') AND NOT regexp_matches(regexp_replace(n, '^(?:([25-8]\d{5})$|0|180020)', '1624\1'), '^(?:1624\d{6}|(?:[3578]\d|90)\d{8})') THEN n ELSE regexp_replace(n, '^(?:([25-8]\d{5})$|0|180020)', '1624\1') END
        WHEN 'IN' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'IQ' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'IR' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'J' THEN CASE region
        WHEN 'JE' THEN CASE WHEN NOT regexp_matches(n, '^(?:([0-24-8]\d{5})$|0|180020)') THEN n WHEN regexp_extract(n, '^(?:([0-24-8]\d{5})$|0|180020)', 1) = '' THEN regexp_replace(n, '^(?:([0-24-8]\d{5})$|0|180020)', '') WHEN regexp_matches(n, '^(?:1534\d{6}|(?:[3578]\d|90)\d{8})') AND NOT regexp_matches(regexp_replace(n, '^(?:([0-24-8]\d{5})$|0|180020)', '1534\1'), '^(?:1534\d{6}|(?:[3578]\d|90)\d{8})') THEN n ELSE regexp_replace(n, '^(?:([0-24-8]\d{5})$|0|180020)', '1534\1') END
        WHEN 'JM' THEN CASE WHEN starts_with(n, '1') THEN substr(n, 2) ELSE n END
        WHEN 'JO' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'JP' THEN CASE WHEN NOT regexp_matches(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)') THEN n WHEN regexp_extract(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)', 1) = '' THEN regexp_replace(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)', '') WHEN regexp_matches(n, '^(?:00[1-9]\d{6,14}|[25-9]\d{9}|(?:00|[1-9]\d\d)\d{6})') AND NOT regexp_matches(regexp_replace(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)', '\1'), '^(?:00[1-9]\d{6,14}|[25-9]\d{9}|(?:00|[1-9]\d\d)\d{6})') THEN n ELSE regexp_replace(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)', '\1') END ELSE n END
    WHEN 'K' THEN CASE region
        WHEN 'KE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'KG' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'KH' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'KI' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'KN' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-7]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-7]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '869\1'), '^(?:(?:[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '869\1') END
        WHEN 'KP' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'KR' THEN regexp_replace(n, '^(?:0(8(?:[1-46-8]|5\d\d))?)', '')
        WHEN 'KY' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-9]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-9]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:345|[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '345\1'), '^(?:(?:345|[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '345\1') END
        WHEN 'KZ' THEN CASE WHEN starts_with(n, '8') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'L' THEN CASE region
        WHEN 'LA' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'LB' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'LC' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-8]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-8]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-8]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|758|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-8]\d{6})$|1)', '758\1'), '^(?:(?:[58]\d\d|758|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-8]\d{6})$|1)', '758\1') END
        WHEN 'LI' THEN regexp_replace(n, '^(?:(1001)|0)', '')
        WHEN 'LK' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'LR' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'LT' THEN regexp_replace(n, '^(?:[08])', '')
        WHEN 'LU' THEN regexp_replace(n, '^(?:(15(?:0[06]|1[12]|[35]5|4[04]|6[26]|77|88|99)\d))', '')
        WHEN 'LY' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'M' THEN CASE region
        WHEN 'MA' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MC' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MD' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'ME' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MF' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MG' THEN CASE WHEN NOT regexp_matches(n, '^(?:([24-9]\d{6})$|0)') THEN n WHEN regexp_extract(n, '^(?:([24-9]\d{6})$|0)', 1) = '' THEN regexp_replace(n, '^(?:([24-9]\d{6})$|0)', '') WHEN regexp_matches(n, '^(?:[23]\d{8})') AND NOT regexp_matches(regexp_replace(n, '^(?:([24-9]\d{6})$|0)', '20\1'), '^(?:[23]\d{8})') THEN n ELSE regexp_replace(n, '^(?:([24-9]\d{6})$|0)', '20\1') END
        WHEN 'MH' THEN CASE WHEN starts_with(n, '1') THEN substr(n, 2) ELSE n END
        WHEN 'MK' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MM' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MN' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MP' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-9]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-9]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:[58]\d{9}|(?:67|90)0\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '670\1'), '^(?:[58]\d{9}|(?:67|90)0\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '670\1') END
        WHEN 'MQ' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MS' THEN CASE WHEN NOT regexp_matches(n, '^(?:([34]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([34]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([34]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|664|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([34]\d{6})$|1)', '664\1'), '^(?:(?:[58]\d\d|664|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([34]\d{6})$|1)', '664\1') END
        WHEN 'MW' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'MY' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'N' THEN CASE region
        WHEN 'NA' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'NF' THEN CASE WHEN NOT regexp_matches(n, '^(?:([0-258]\d{4})$)') THEN n WHEN regexp_extract(n, '^(?:([0-258]\d{4})$)', 1) = '' THEN regexp_replace(n, '^(?:([0-258]\d{4})$)', '') WHEN regexp_matches(n, '^(?:[13]\d{5})') AND NOT regexp_matches(regexp_replace(n, '^(?:([0-258]\d{4})$)', '3\1'), '^(?:[13]\d{5})') THEN n ELSE regexp_replace(n, '^(?:([0-258]\d{4})$)', '3\1') END
        WHEN 'NG' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'NL' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'NP' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'NZ' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'P' THEN CASE region
        WHEN 'PE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'PH' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'PK' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'PM' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'PR' THEN CASE WHEN starts_with(n, '1') THEN substr(n, 2) ELSE n END
        WHEN 'PS' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'PY' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'R' THEN CASE region
        WHEN 'RE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'RO' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'RS' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'RU' THEN CASE WHEN starts_with(n, '8') THEN substr(n, 2) ELSE n END
        WHEN 'RW' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'S' THEN CASE region
        WHEN 'SA' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'SD' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'SE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'SI' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'SK' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'SL' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'SM' THEN CASE WHEN NOT regexp_matches(n, '^(?:([89]\d{5})$)') THEN n WHEN regexp_extract(n, '^(?:([89]\d{5})$)', 1) = '' THEN regexp_replace(n, '^(?:([89]\d{5})$)', '') WHEN regexp_matches(n, '^(?:(?:0549|[5-7]\d)\d{6})') AND NOT regexp_matches(regexp_replace(n, '^(?:([89]\d{5})$)', '0549\1'), '^(?:(?:0549|[5-7]\d)\d{6})') THEN n ELSE regexp_replace(n, '^(?:([89]\d{5})$)', '0549\1') END
        WHEN 'SO' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'SS' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'SX' THEN CASE WHEN NOT regexp_matches(n, '^(?:(5\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:(5\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:(5\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:7215\d{6}|(?:[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:(5\d{6})$|1)', '721\1'), '^(?:7215\d{6}|(?:[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:(5\d{6})$|1)', '721\1') END
        WHEN 'SY' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'T' THEN CASE region
        WHEN 'TC' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-479]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-479]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-479]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|649|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-479]\d{6})$|1)', '649\1'), '^(?:(?:[58]\d\d|649|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-479]\d{6})$|1)', '649\1') END
        WHEN 'TH' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'TM' THEN CASE WHEN starts_with(n, '8') THEN substr(n, 2) ELSE n END
        WHEN 'TR' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'TT' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-46-8]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-46-8]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-46-8]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-46-8]\d{6})$|1)', '868\1'), '^(?:(?:[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-46-8]\d{6})$|1)', '868\1') END
        WHEN 'TW' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'TZ' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'U' THEN CASE region
        WHEN 'UA' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'UG' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'US' THEN CASE WHEN starts_with(n, '1') THEN substr(n, 2) ELSE n END
        WHEN 'UY' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'V' THEN CASE region
        WHEN 'VC' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-7]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-7]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:[58]\d\d|784|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '784\1'), '^(?:(?:[58]\d\d|784|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-7]\d{6})$|1)', '784\1') END
        WHEN 'VE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'VG' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-578]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-578]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-578]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:(?:284|[58]\d\d|900)\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-578]\d{6})$|1)', '284\1'), '^(?:(?:284|[58]\d\d|900)\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-578]\d{6})$|1)', '284\1') END
        WHEN 'VI' THEN CASE WHEN NOT regexp_matches(n, '^(?:([2-9]\d{6})$|1)') THEN n WHEN regexp_extract(n, '^(?:([2-9]\d{6})$|1)', 1) = '' THEN regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '') WHEN regexp_matches(n, '^(?:[58]\d{9}|(?:34|90)0\d{7})') AND NOT regexp_matches(regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '340\1'), '^(?:[58]\d{9}|(?:34|90)0\d{7})') THEN n ELSE regexp_replace(n, '^(?:([2-9]\d{6})$|1)', '340\1') END
        WHEN 'VN' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'X' THEN CASE region
        WHEN 'XK' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'Y' THEN CASE region
        WHEN 'YE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'YT' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END
    WHEN 'Z' THEN CASE region
        WHEN 'ZA' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'ZM' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
        WHEN 'ZW' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END ELSE n END ELSE n END;
CREATE OR REPLACE TEMP MACRO lr_phone_np(region) AS CASE left(region, 1)
    WHEN 'A' THEN CASE region
        WHEN 'AE' THEN '0'
        WHEN 'AF' THEN '0'
        WHEN 'AG' THEN '1'
        WHEN 'AI' THEN '1'
        WHEN 'AL' THEN '0'
        WHEN 'AM' THEN '0'
        WHEN 'AR' THEN '0'
        WHEN 'AS' THEN '1'
        WHEN 'AT' THEN '0'
        WHEN 'AU' THEN '0'
        WHEN 'AX' THEN '0'
        WHEN 'AZ' THEN '0' END
    WHEN 'B' THEN CASE region
        WHEN 'BA' THEN '0'
        WHEN 'BB' THEN '1'
        WHEN 'BD' THEN '0'
        WHEN 'BE' THEN '0'
        WHEN 'BG' THEN '0'
        WHEN 'BL' THEN '0'
        WHEN 'BM' THEN '1'
        WHEN 'BO' THEN '0'
        WHEN 'BR' THEN '0'
        WHEN 'BS' THEN '1'
        WHEN 'BY' THEN '8' END
    WHEN 'C' THEN CASE region
        WHEN 'CA' THEN '1'
        WHEN 'CC' THEN '0'
        WHEN 'CD' THEN '0'
        WHEN 'CH' THEN '0'
        WHEN 'CN' THEN '0'
        WHEN 'CO' THEN '0'
        WHEN 'CU' THEN '0'
        WHEN 'CX' THEN '0' END
    WHEN 'D' THEN CASE region
        WHEN 'DE' THEN '0'
        WHEN 'DM' THEN '1'
        WHEN 'DO' THEN '1'
        WHEN 'DZ' THEN '0' END
    WHEN 'E' THEN CASE region
        WHEN 'EC' THEN '0'
        WHEN 'EG' THEN '0'
        WHEN 'EH' THEN '0'
        WHEN 'ER' THEN '0'
        WHEN 'ET' THEN '0' END
    WHEN 'F' THEN CASE region
        WHEN 'FI' THEN '0'
        WHEN 'FR' THEN '0' END
    WHEN 'G' THEN CASE region
        WHEN 'GB' THEN '0'
        WHEN 'GD' THEN '1'
        WHEN 'GE' THEN '0'
        WHEN 'GF' THEN '0'
        WHEN 'GG' THEN '0'
        WHEN 'GH' THEN '0'
        WHEN 'GP' THEN '0'
        WHEN 'GU' THEN '1' END
    WHEN 'H' THEN CASE region
        WHEN 'HR' THEN '0'
        WHEN 'HU' THEN '06' END
    WHEN 'I' THEN CASE region
        WHEN 'ID' THEN '0'
        WHEN 'IE' THEN '0'
        WHEN 'IL' THEN '0'
        WHEN 'IM' THEN '0'
        WHEN 'IN' THEN '0'
        WHEN 'IQ' THEN '0'
        WHEN 'IR' THEN '0' END
    WHEN 'J' THEN CASE region
        WHEN 'JE' THEN '0'
        WHEN 'JM' THEN '1'
        WHEN 'JO' THEN '0'
        WHEN 'JP' THEN '0' END
    WHEN 'K' THEN CASE region
        WHEN 'KE' THEN '0'
        WHEN 'KG' THEN '0'
        WHEN 'KH' THEN '0'
        WHEN 'KI' THEN '0'
        WHEN 'KN' THEN '1'
        WHEN 'KP' THEN '0'
        WHEN 'KR' THEN '0'
        WHEN 'KY' THEN '1'
        WHEN 'KZ' THEN '8' END
    WHEN 'L' THEN CASE region
        WHEN 'LA' THEN '0'
        WHEN 'LB' THEN '0'
        WHEN 'LC' THEN '1'
        WHEN 'LI' THEN '0'
        WHEN 'LK' THEN '0'
        WHEN 'LR' THEN '0'
        WHEN 'LT' THEN '0'
        WHEN 'LY' THEN '0' END
    WHEN 'M' THEN CASE region
        WHEN 'MA' THEN '0'
        WHEN 'MC' THEN '0'
        WHEN 'MD' THEN '0'
        WHEN 'ME' THEN '0'
        WHEN 'MF' THEN '0'
        WHEN 'MG' THEN '0'
        WHEN 'MH' THEN '1'
        WHEN 'MK' THEN '0'
        WHEN 'MM' THEN '0'
        WHEN 'MN' THEN '0'
        WHEN 'MP' THEN '1'
        WHEN 'MQ' THEN '0'
        WHEN 'MS' THEN '1'
        WHEN 'MW' THEN '0'
        WHEN 'MY' THEN '0' END
    WHEN 'N' THEN CASE region
        WHEN 'NA' THEN '0'
        WHEN 'NG' THEN '0'
        WHEN 'NL' THEN '0'
        WHEN 'NP' THEN '0'
        WHEN 'NZ' THEN '0' END
    WHEN 'P' THEN CASE region
        WHEN 'PE' THEN '0'
        WHEN 'PH' THEN '0'
        WHEN 'PK' THEN '0'
        WHEN 'PM' THEN '0'
        WHEN 'PR' THEN '1'
        WHEN 'PS' THEN '0'
        WHEN 'PY' THEN '0' END
    WHEN 'R' THEN CASE region
        WHEN 'RE' THEN '0'
        WHEN 'RO' THEN '0'
        WHEN 'RS' THEN '0'
        WHEN 'RU' THEN '8'
        WHEN 'RW' THEN '0' END
    WHEN 'S' THEN CASE region
        WHEN 'SA' THEN '0'
        WHEN 'SD' THEN '0'
        WHEN 'SE' THEN '0'
        WHEN 'SI' THEN '0'
        WHEN 'SK' THEN '0'
        WHEN 'SL' THEN '0'
        WHEN 'SO' THEN '0'
        WHEN 'SS' THEN '0'
        WHEN 'SX' THEN '1'
        WHEN 'SY' THEN '0' END
    WHEN 'T' THEN CASE region
        WHEN 'TC' THEN '1'
        WHEN 'TH' THEN '0'
        WHEN 'TM' THEN '8'
        WHEN 'TR' THEN '0'
        WHEN 'TT' THEN '1'
        WHEN 'TW' THEN '0'
        WHEN 'TZ' THEN '0' END
    WHEN 'U' THEN CASE region
        WHEN 'UA' THEN '0'
        WHEN 'UG' THEN '0'
        WHEN 'US' THEN '1'
        WHEN 'UY' THEN '0' END
    WHEN 'V' THEN CASE region
        WHEN 'VC' THEN '1'
        WHEN 'VE' THEN '0'
        WHEN 'VG' THEN '1'
        WHEN 'VI' THEN '1'
        WHEN 'VN' THEN '0' END
    WHEN 'X' THEN CASE region
        WHEN 'XK' THEN '0' END
    WHEN 'Y' THEN CASE region
        WHEN 'YE' THEN '0'
        WHEN 'YT' THEN '0' END
    WHEN 'Z' THEN CASE region
        WHEN 'ZA' THEN '0'
        WHEN 'ZM' THEN '0'
        WHEN 'ZW' THEN '0' END END;
-- validator::is_valid: the national number matches the region's general pattern and one
-- of its number types (pattern matched from the first digit, length among the type's
-- possible lengths). A code shared by several regions accepts a number valid in any.
CREATE OR REPLACE TEMP MACRO lr_phone_nsn_valid(cc, n) AS CASE left(cc, 1)
    WHEN '2' THEN CASE cc
        WHEN '247' THEN /* AC */ (regexp_matches(n, '^(?:(?:[01589]\d|[46])\d{4})') AND ((length(n) IN (6) AND regexp_matches(n, '^(?:(?:0[1-9]|[1589]\d)\d{4})')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:6[2-467]\d{3})')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:4\d{4})'))))
        WHEN '244' THEN /* AO */ (regexp_matches(n, '^(?:[29]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:2\d(?:[0134][25-9]|[25-9]\d)\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9[1-79]\d{7})'))))
        WHEN '297' THEN /* AW */ (regexp_matches(n, '^(?:(?:[25-79]\d\d|800)\d{4})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:900\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:800\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:28\d|501)\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:5(?:2\d|8[1-9])\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:290|5[69]\d|6(?:[03]0|22|4[0-2]|[69]\d)|7(?:[34]\d|7[07])|9(?:6[45]|9[4-8]))\d{4})'))))
        WHEN '226' THEN /* BF */ (regexp_matches(n, '^(?:[024-7]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:2(?:0(?:49|5[23]|6[5-7]|9[016-9])|4(?:4[569]|5[4-6]|6[5-7]|7[0179])|5(?:[34]\d|50|6[5-8]))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:0[1-7]|4[4-6]|5[0-8]|[67]\d)\d{6})'))))
        WHEN '257' THEN /* BI */ (regexp_matches(n, '^(?:(?:[267]\d|31)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:(?:22|31)\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:29|6[1-9]|7[125-9])\d{6})'))))
        WHEN '229' THEN /* BJ */ (regexp_matches(n, '^(?:(?:01\d|8)\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:857[58]\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:81\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:012\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:01(?:2[5-9]|[4-69]\d)\d{6})'))))
        WHEN '267' THEN /* BW */ (regexp_matches(n, '^(?:(?:0800|(?:[37]|800)\d)\d{6}|(?:[2-6]\d|90)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:90\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:0800|800\d)\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:79(?:1(?:[0-2]\d|3[0-8])|2[0-7]\d)\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:2(?:4[0-48]|6[0-24]|9[0578])|3(?:1[0-35-9]|55|[69]\d|7[013]|81)|4(?:6[03]|7[1267]|9[0-5])|5(?:3[03489]|4[0489]|7[1-47]|88|9[0-49])|6(?:2[1-35]|5[149]|8[013467]))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:321|7(?:[1-8]\d|9[03]))\d{5})'))))
        WHEN '243' THEN /* CD */ (regexp_matches(n, '^(?:(?:(?:[189]|5\d)\d|2)\d{7}|[1-68]\d{6})') AND ((length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:(?:(?:12|573)\d\d|276)\d{5}|[1-6]\d{6})')) OR (length(n) IN (7, 9) AND regexp_matches(n, '^(?:88\d{5}|(?:8[0-69]|9[016-9])\d{7})'))))
        WHEN '236' THEN /* CF */ (regexp_matches(n, '^(?:8776\d{4}|(?:[27]\d|61)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:8776\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:2[12]|61)\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:7[02-7]\d{6})'))))
        WHEN '242' THEN /* CG */ (regexp_matches(n, '^(?:222\d{6}|(?:0\d|80)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:80[0-2]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:222[1-589]\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:026(?:1[0-5]|6[6-9])\d{4}|0(?:[14-6]\d\d|2(?:40|5[5-8]|6[07-9]))\d{5})'))))
        WHEN '225' THEN /* CI */ (regexp_matches(n, '^(?:[02]\d{9})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:2(?:[15]\d{3}|7(?:2(?:0[23]|1[2357]|2[245]|3[45]|4[3-5])|3(?:06|1[69]|[2-6]7)))\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:0[157]\d{8})'))))
        WHEN '237' THEN /* CM */ (regexp_matches(n, '^(?:[26]\d{8}|88\d{6,7})') AND ((length(n) IN (8, 9) AND regexp_matches(n, '^(?:88\d{6,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:2(?:22|33)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:24[23]|6(?:[25-9]\d|4[01]))\d{6})'))))
        WHEN '238' THEN /* CV */ (regexp_matches(n, '^(?:(?:[2-59]\d\d|800)\d{4})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:800\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:3[3-5]|4[356])\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:2(?:2[1-7]|3[0-8]|4[12]|5[1256]|6\d|7[1-3]|8[1-5])\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:36|5[1-389]|9\d)\d{5})'))))
        WHEN '253' THEN /* DJ */ (regexp_matches(n, '^(?:(?:2\d|77)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:2(?:1[2-5]|7[45])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:77\d{6})'))))
        WHEN '213' THEN /* DZ */ (regexp_matches(n, '^(?:(?:[1-4]|[5-79]\d|80)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:80[3-689]1\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[12]1\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:98[23]\d{6})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:9619\d{5}|(?:[1-3]\d|4[013-689])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:5(?:4[0-29]|6[0-4])\d{6}|(?:55|6\d|7[7-9])\d{7})'))))
        WHEN '20' THEN /* EG */ (regexp_matches(n, '^(?:[189]\d{8,9}|[24-6]\d{8}|[135]\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:800\d{7})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:13[23]\d{6}|(?:15|57)\d{6,7}|(?:2\d|3|4[05-8]|5[05]|6[24-689]|8[2468]|9[235-7])\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1[0-25]\d{8})'))))
        WHEN '212' THEN /* EH */ (regexp_matches(n, '^(?:[5-8]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:89\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-7]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:592(?:4[0-2]|93)|80[89]\d\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:528[89]\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:6(?:[0-79]\d|8[0-247-9])|7(?:[016-8]\d|2[0-8]|5[0-5]))\d{6})')))) OR /* MA */ (regexp_matches(n, '^(?:[5-8]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:89\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-7]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:592(?:4[0-2]|93)|80[89]\d\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:5(?:(?:18|4[0679]|5[03])\d|2(?:[0-25-79]\d|3[1-578]|4[02-46-8]|8[0235-9])|3(?:[0-47]\d|5[02-9]|6[02-8]|8[014-9]|9[3-9]))\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:6(?:[0-79]\d|8[0-247-9])|7(?:[016-8]\d|2[0-8]|5[0-5]))\d{6})'))))
        WHEN '291' THEN /* ER */ (regexp_matches(n, '^(?:[178]\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:(?:1(?:1[12568]|[24]0|55|6[146])|8\d\d)\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:17[1-3]|7\d\d)\d{4})'))))
        WHEN '251' THEN /* ET */ (regexp_matches(n, '^(?:(?:11|[2-57-9]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:(?:11(?:[124]\d\d|3(?:[0-79]\d|8[0-7])|5(?:[02-9]\d|1[0-57-9])|6(?:[02-79]\d|1[0-57-9]|8[0-8]))|2(?:2(?:11[1-9]|22[0-7]|33\d|44[1467]|66[1-68])|5(?:11[124-6]|33[2-8]|44[1467]|55[14]|66[1-3679]|77[124-79]|880))|3(?:3(?:11[0-46-8]|(?:22|55)[0-6]|33[0134689]|44[04]|66[01467])|4(?:44[0-8]|55[0-69]|66[0-3]|77[1-5]))|4(?:6(?:119|22[0-24-7]|33[1-5]|44[13-69]|55[14-689]|660|88[1-4])|7(?:(?:11|22)[1-9]|33[13-7]|44[13-6]|55[1-689]))|5(?:7(?:227|55[05]|(?:66|77)[14-8])|8(?:11[149]|22[013-79]|33[0-68]|44[013-8]|550|66[1-5]|77\d)))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:700[1-9]\d{5}|(?:7(?:0[1-9]|1[0-8]|2[1-35-79]|3\d|77|86|99)|(?:8[01]|9\d)\d)\d{6})'))))
        WHEN '298' THEN /* FO */ (regexp_matches(n, '^(?:[2-9]\d{5})') AND ((length(n) IN (6) AND regexp_matches(n, '^(?:90(?:[13-5][15-7]|2[125-7]|9\d)\d\d)')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:80[257-9]\d{3})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:6[0-36]|88)\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:20|[34]\d|8[19])\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:[27][1-9]|5\d|9[16])\d{4})'))))
        WHEN '241' THEN /* GA */ (regexp_matches(n, '^(?:(?:[067]\d|11)\d{6}|[2-7]\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:[01]1\d{6})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:(?:(?:0[2-7]|7[467])\d|6(?:0[0-4]|10|[256]\d))\d{5}|[2-7]\d{6})'))))
        WHEN '233' THEN /* GH */ (regexp_matches(n, '^(?:[235]\d{8}|800\d{5,6})') AND ((length(n) IN (8, 9) AND regexp_matches(n, '^(?:800\d{5,6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:3082[0-5]\d{4}|3(?:0(?:[237]\d|8[01])|[167](?:2[0-6]|7\d|80)|2(?:2[0-5]|7\d|80)|3(?:2[0-3]|7\d|80)|4(?:2[013-9]|3[01]|7\d|80)|5(?:2[0-7]|7\d|80)|8(?:2[0-2]|7\d|80)|9(?:[28]0|7\d))\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:2(?:[0346-9]\d|5[67])|5(?:[03-7]\d|9[1-9]))\d{6})'))))
        WHEN '299' THEN /* GL */ (regexp_matches(n, '^(?:(?:19|[2-689]\d|70)\d{4})') AND ((length(n) IN (6) AND regexp_matches(n, '^(?:80\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:3[89]\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:19|3[1-7]|[68][1-9]|70|9\d)\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:[245]\d{5})'))))
        WHEN '220' THEN /* GM */ (regexp_matches(n, '^(?:[2-9]\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:(?:4(?:[23]\d\d|4(?:1[024679]|[6-9]\d))|5(?:5(?:3\d|4[0-7])|6[67]\d|7(?:1[04]|2[035]|3[58]|48))|8[0-389]\d\d)\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:556\d{4}|(?:[23679]\d|4[015]|5[0-489]|8[4-7])\d{5})'))))
        WHEN '224' THEN /* GN */ (regexp_matches(n, '^(?:722\d{6}|(?:3|6\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:722\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:3(?:0(?:24|3[12]|4[1-35-7]|5[13]|6[189]|[78]1|9[1478])|1\d\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:6[0-356]\d{7})'))))
        WHEN '240' THEN /* GQ */ (regexp_matches(n, '^(?:222\d{6}|(?:3\d|55|[89]0)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:90\d[1-9]\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80\d[1-9]\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:33[0-24-9]\d[46]\d{4}|3(?:33|5\d)\d[7-9]\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:222|55\d)\d{6})'))))
        WHEN '245' THEN /* GW */ (regexp_matches(n, '^(?:[49]\d{8}|4\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:40\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:443\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:5\d|6[569]|77)\d{6})'))))
        WHEN '246' THEN /* IO */ (regexp_matches(n, '^(?:3\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:37\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:38\d{5})'))))
        WHEN '254' THEN /* KE */ (regexp_matches(n, '^(?:(?:[17]\d\d|900)\d{6}|(?:2|80)0\d{6,7}|[4-6]\d{6,8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:900[02-9]\d{5})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:800[02-8]\d{5,6})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:(?:4[245]|5[1-79]|6[01457-9])\d{5,7}|(?:4[136]|5[08]|62)\d{7}|(?:[24]0|66)\d{6,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:1(?:0[0-8]|1\d|2[014]|30|4[0-5])|7\d\d)\d{6})'))))
        WHEN '269' THEN /* KM */ (regexp_matches(n, '^(?:[3478]\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:8\d{6})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:7[4-7]\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:[34]\d{6})'))))
        WHEN '231' THEN /* LR */ (regexp_matches(n, '^(?:(?:[2457]\d|33|88)\d{7}|(?:2\d|[4-6])\d{6})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:332(?:02|[34]\d)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2\d{7})')) OR (length(n) IN (7, 9) AND regexp_matches(n, '^(?:(?:(?:(?:22|33)0|555|7(?:6[01]|7\d)|88\d)\d|4(?:240|[67]))\d{5}|[56]\d{6})'))))
        WHEN '266' THEN /* LS */ (regexp_matches(n, '^(?:(?:[256]\d\d|800)\d{5})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:800[1256]\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[56]\d{7})'))))
        WHEN '218' THEN /* LY */ (regexp_matches(n, '^(?:[2-9]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:(?:2(?:0[56]|[1-6]\d|7[124579]|8[124])|3(?:1\d|2[2356])|4(?:[17]\d|2[1-357]|5[2-4]|8[124])|5(?:[1347]\d|2[1-469]|5[13-5]|8[1-4])|6(?:[1-479]\d|5[2-57]|8[1-5])|7(?:[13]\d|2[13-79])|8(?:[124]\d|5[124]|84))\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9[1-6]\d{7})'))))
        WHEN '261' THEN /* MG */ (regexp_matches(n, '^(?:[23]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:22\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:2072[29]\d{4}|20(?:2\d|4[47]|5[3467]|6[279]|7[356]|8[268]|9[2457])\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:3[2-9]\d{7})'))))
        WHEN '223' THEN /* ML */ (regexp_matches(n, '^(?:[24-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:80\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2(?:07[0-8]|12[67])\d{4}|(?:2(?:02|1[4-689])|4(?:0[0-4]|4[1-59]))\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2(?:0(?:01|79)|17\d)\d{4}|(?:5[0-3]|[679]\d|8[2-59])\d{6})'))))
        WHEN '222' THEN /* MR */ (regexp_matches(n, '^(?:(?:[2-4]\d\d|800)\d{5})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:800\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:25[08]|35\d|45[1-7])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[2-4][0-46-9]\d{6})'))))
        WHEN '230' THEN /* MU */ (regexp_matches(n, '^(?:(?:[57]|8\d\d)\d{7}|[2-468]\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:30\d{5})')) OR (length(n) IN (7, 10) AND regexp_matches(n, '^(?:802\d{7}|80[0-2]\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:3(?:20|9\d)\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:219\d{4})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:(?:2(?:[0346-8]\d|1[0-8])|4(?:[013568]\d|2[0-24-8]|71|90)|54(?:[3-5]\d|71)|6\d\d|8(?:14|3[129]))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:5(?:4(?:2[1-389]|7[1-9])|87[15-8])\d{4}|(?:5(?:2[5-9]|4[3-689]|[57]\d|8[0-689]|9[0-8])|7(?:0[0-7]|3[013]))\d{5})'))))
        WHEN '265' THEN /* MW */ (regexp_matches(n, '^(?:(?:[1289]\d|31|77)\d{7}|1\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:1[2-9]\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:111\d{6}|(?:2[12]|31|77|[89][89])\d{7})'))))
        WHEN '258' THEN /* MZ */ (regexp_matches(n, '^(?:(?:2|8\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2(?:[1346]\d|5[0-2]|[78][12]|93)\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8[2-79]\d{7})'))))
        WHEN '264' THEN /* NA */ (regexp_matches(n, '^(?:[68]\d{7,8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:8701\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80\d{7})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:8(?:3\d\d|86)\d{5})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:64426\d{3}|6(?:1(?:2[2-7]|3[01378]|4[0-4])|254|32[0237]|4(?:27|41|5[25])|52[236-8]|626|7(?:2[2-4]|30))\d{4,5}|6(?:1(?:(?:0\d|2[0189]|3[24-69]|4[5-9])\d|17|69|7[014])|2(?:17|5[0-36-8]|69|70)|3(?:17|2[14-689]|34|6[289]|7[01]|81)|4(?:17|2[0-2]|4[06]|5[0137]|69|7[01])|5(?:17|2[0459]|69|7[01])|6(?:17|25|38|42|69|7[01])|7(?:17|2[569]|3[13]|6[89]|7[01]))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:60|8[1245])\d{7})'))))
        WHEN '227' THEN /* NE */ (regexp_matches(n, '^(?:[027-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:09\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:08\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2(?:0(?:20|3[1-8]|4[13-5]|5[14]|6[14578]|7[1-578])|1(?:4[145]|5[14]|6[14-68]|7[169]|88))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:23|7[0467]|[89]\d)\d{6})'))))
        WHEN '234' THEN /* NG */ (regexp_matches(n, '^(?:(?:20|9\d)\d{8}|[78]\d{9,13})') AND ((length(n) IN (10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:800\d{7,11})')) OR (length(n) IN (10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:700\d{7,11})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:20(?:[1259]\d|3[013-9]|4[1-8]|6[024-689]|7[1-79]|8[2-9])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:702[0-24-9]|819[01])\d{6}|(?:7(?:0[13-9]|[12]\d)|8(?:0[1-9]|1[0-8])|9(?:0[1-9]|1[1-6]))\d{7})'))))
        WHEN '262' THEN /* RE */ (regexp_matches(n, '^(?:709\d{6}|(?:26|[689]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:89[1-37-9]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8(?:1[019]|2[0156]|84|90)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:399[0-3]|479[0-6]|76(?:2[278]|3[0-37]))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:2631[0-6]\d{4}|26(?:2\d|30|88)\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:69(?:2\d\d|3(?:[06][0-6]|1[0-3]|2[0-2]|3[0-39]|4\d|5[0-5]|7[0-37]|8[0-8]|9[0-479]))|7092[0-3])\d{4})')))) OR /* YT */ (regexp_matches(n, '^(?:(?:639\d|7093)\d{5}|(?:26|80|9\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:80\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:(?:39|47)8[01]|769\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:26(?:89\d|9(?:0[0-467]|15|5[0-4]|6\d|[78]0))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:639(?:0[0-79]|1[019]|[267]\d|3[09]|40|5[05-9]|9[04-79])|7093[5-7])\d{4})'))))
        WHEN '250' THEN /* RW */ (regexp_matches(n, '^(?:(?:06|[27]\d\d|[89]00)\d{6})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:900\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:(?:06|2[23568]\d)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7[237-9]\d{7})'))))
        WHEN '248' THEN /* SC */ (regexp_matches(n, '^(?:(?:[2489]\d|64)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:85\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:800[08]\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:971\d{4}|(?:64|95)\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:4[2-46]\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:2[125-8]\d{5})'))))
        WHEN '249' THEN /* SD */ (regexp_matches(n, '^(?:[19]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:1(?:5\d|8[35-7])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:1[0-2]|9[0-3569])\d{7})'))))
        WHEN '290' THEN /* SH */ (regexp_matches(n, '^(?:(?:[256]\d|8)\d{3})') AND ((length(n) IN (5) AND regexp_matches(n, '^(?:262\d\d)')) OR (length(n) IN (4, 5) AND regexp_matches(n, '^(?:2(?:[0-57-9]\d|6[4-9])\d\d)')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:[56]\d{4})')))) OR /* TA */ (regexp_matches(n, '^(?:8\d{3})') AND ((length(n) IN (4) AND regexp_matches(n, '^(?:8\d{3})'))))
        WHEN '232' THEN /* SL */ (regexp_matches(n, '^(?:(?:[237-9]\d|66)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:22[2-4][2-9]\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:25|3[0-5]|66|7\d|8[08]|9[09])\d{6})'))))
        WHEN '221' THEN /* SN */ (regexp_matches(n, '^(?:(?:[378]\d|93)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:88[4689]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:81[02468]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:3(?:392|9[01]\d)\d|93(?:3[13]0|929))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:3(?:0(?:1[0-2]|80)|282|3(?:8[1-9]|9[3-9])|611)\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7(?:[015-8]\d|21|90)\d{6})'))))
        WHEN '252' THEN /* SO */ (regexp_matches(n, '^(?:[346-9]\d{8}|[12679]\d{7}|[1-5]\d{6}|[1348]\d{5})') AND ((length(n) IN (6, 7) AND regexp_matches(n, '^(?:(?:1\d|2[0-79]|3[0-46-8]|4[0-7]|5[57-9])\d{5}|(?:[134]\d|8[125])\d{4})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:(?:(?:15|(?:3[59]|4[89]|6\d|7[0-35-9]|8[08])\d|9(?:0\d|[2-9]))\d|2(?:4\d|8))\d{5}|(?:[67]\d\d|904)\d{5})'))))
        WHEN '211' THEN /* SS */ (regexp_matches(n, '^(?:[19]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:1[89]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:12|9[1257-9])\d{7})'))))
        WHEN '239' THEN /* ST */ (regexp_matches(n, '^(?:(?:22|9\d)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:22\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:900[5-9]\d{3}|9(?:0[1-9]|[89]\d)\d{4})'))))
        WHEN '268' THEN /* SZ */ (regexp_matches(n, '^(?:0800\d{4}|(?:[237]\d|900)\d{6})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:900\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:0800\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:70\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[23][2-5]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:7[5-9]\d{6})'))))
        WHEN '235' THEN /* TD */ (regexp_matches(n, '^(?:(?:22|[3689]\d|77)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:22(?:[37-9]0|5[0-5]|6[89])\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:3[01]|[69]\d|77|8[5-7])\d{6})'))))
        WHEN '228' THEN /* TG */ (regexp_matches(n, '^(?:[279]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:2(?:2[2-7]|3[23]|4[45]|55|6[67]|77)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:7[0-289]|9[0-36-9])\d{6})'))))
        WHEN '216' THEN /* TN */ (regexp_matches(n, '^(?:[2-57-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:88\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8010\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8[12]10\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:81200\d{3}|(?:3[0-2]|7\d)\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:3(?:001|[12]40)\d{4}|(?:(?:[259]\d|4[0-8])\d|3(?:1[1-35]|6[0-4]|91))\d{5})'))))
        WHEN '255' THEN /* TZ */ (regexp_matches(n, '^(?:(?:[25-8]\d|41|90)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:90\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[08]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8(?:40|6[01])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:41\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:2[2-8]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:6[1-35-9]|7[013-9])\d{7})'))))
        WHEN '256' THEN /* UG */ (regexp_matches(n, '^(?:800\d{6}|(?:[29]0|[347]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:90[1-3]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800[1-3]\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:20(?:(?:240|30[67])\d|6(?:00[0-2]|30[0-4]))\d{3}|(?:20(?:[017]\d|2[5-9]|3[1-4]|5[0-4]|6[15-9])|[34]\d{3})\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7280\d{5}|7(?:[014-8]\d|2[01467]|3[016]|9[0-589])\d{6})'))))
        WHEN '27' THEN /* ZA */ (regexp_matches(n, '^(?:[1-79]\d{8}|8\d{4,9})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:(?:86[2-9]|9[0-2]\d)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:860\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:87(?:08[0-589]|15[0-79]|28[0-4]|31[1-9])\d{4}|87(?:[02][0-79]|1[0-46-9]|3[02-9]|[4-9]\d)\d{5})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:861\d{6,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:2(?:0330|4302)|52087)0\d{3}|(?:1[0-8]|2[1-378]|3[1-69]|4\d|5[1346-8])\d{7})')) OR (length(n) IN (5, 6, 7, 8, 9) AND regexp_matches(n, '^(?:(?:1(?:3492[0-25]|4495[0235]|549(?:20|5[01]))|4[34]492[01])\d{3}|8[1-4]\d{3,7}|(?:2[27]|47|54)4950\d{3}|(?:1(?:049[2-4]|9[12]\d\d)|(?:50[0-2]|[67]\d\d)\d\d|8(?:5\d{3}|7(?:08[67]|158|28[5-9]|310)))\d{4}|(?:1[6-8]|28|3[2-69]|4[025689]|5[36-8])4920\d{3}|(?:12|[2-5]1)492\d{4})'))))
        WHEN '260' THEN /* ZM */ (regexp_matches(n, '^(?:800\d{6}|(?:21|[579]\d|63)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:63\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:21[1-8]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:[59][5-8]|7[5-9])\d{7})'))))
        WHEN '263' THEN /* ZW */ (regexp_matches(n, '^(?:2(?:[0-57-9]\d{6,8}|6[0-24-9]\d{6,7})|[38]\d{9}|[35-8]\d{8}|[3-6]\d{7}|[1-689]\d{6}|[1-3569]\d{5}|[1356]\d{4})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:80(?:[01]\d|20|8[0-8])\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:86(?:1[12]|22|30|44|55|77|8[368])\d{6})')) OR (length(n) IN (5, 6, 7, 8, 9, 10) AND regexp_matches(n, '^(?:(?:1(?:(?:3\d|9)\d|[4-8])|2(?:(?:(?:0(?:2[014]|5)|(?:2[0157]|31|84|9)\d\d|[56](?:[14]\d\d|20)|7(?:[089]|2[03]|[35]\d\d))\d|4(?:2\d\d|8))\d|1(?:2|[39]\d{4}))|3(?:(?:123|(?:29\d|92)\d)\d\d|7(?:[19]|[56]\d))|5(?:0|1[2-478]|26|[37]2|4(?:2\d{3}|83)|5(?:25\d\d|[78])|[689]\d)|6(?:(?:[16-8]21|28|52[013])\d\d|[39])|8(?:[1349]28|523)\d\d)\d{3}|(?:4\d\d|9[2-9])\d{4,5}|(?:(?:2(?:(?:(?:0|8[146])\d|7[1-7])\d|2(?:[278]\d|92)|58(?:2\d|3))|3(?:[26]|9\d{3})|5(?:4\d|5)\d\d)\d|6(?:(?:(?:[0-246]|[78]\d)\d|37)\d|5[2-8]))\d\d|(?:2(?:[569]\d|8[2-57-9])|3(?:[013-59]\d|8[37])|6[89]8)\d{3})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7(?:[1278]\d|3[1-9])\d{6})')))) ELSE false END
    WHEN '3' THEN CASE cc
        WHEN '376' THEN /* AD */ (regexp_matches(n, '^(?:(?:1|6\d)\d{7}|[135-9]\d{5})') AND ((length(n) IN (6) AND regexp_matches(n, '^(?:[19]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:180[02]\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:[78]\d{5})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:690\d{6}|[356]\d{5})'))))
        WHEN '355' THEN /* AL */ (regexp_matches(n, '^(?:(?:700\d\d|900)\d{3}|8\d{5,7}|(?:[2-5]|6\d)\d{7})') AND ((length(n) IN (6) AND regexp_matches(n, '^(?:900[1-9]\d\d)')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:800\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:808[1-9]\d\d)')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:700[2-9]\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:4505[0-2]\d{3}|(?:[2358][16-9]\d[2-9]|4410)\d{4}|(?:[2358][2-5][2-9]|4(?:[2-57-9][2-9]|6\d))\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:6(?:[78][2-9]|9\d)\d{6})'))))
        WHEN '374' THEN /* AM */ (regexp_matches(n, '^(?:(?:[1-489]\d|55|60|77)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:90[016]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[1-4]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:60(?:2[78]|3[5-9]|4[02-9]|5[0-46-9]|[6-8]\d|9[0-2])\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:(?:1[0-25]|47)\d|2(?:2[2-46]|3[1-8]|4[2-69]|5[2-7]|6[1-9]|8[1-7])|3[12]2)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:33|4[1349]|55|77|88|9[13-9])\d{6})'))))
        WHEN '358' THEN /* AX */ (regexp_matches(n, '^(?:2\d{4,9}|35\d{4,5}|(?:60\d\d|800)\d{4,6}|7\d{5,11}|(?:[14]\d|3[0-46-9]|50)\d{4,8})') AND ((length(n) IN (8, 9) AND regexp_matches(n, '^(?:[67]00\d{5,6})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:800\d{4,6})')) OR (length(n) IN (5, 6, 7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:20\d{4,8}|60[12]\d{5,6}|7(?:099\d{4,5}|5[03-9]\d{3,7})|20[2-59]\d\d|(?:606|7(?:0[78]|1|3\d))\d{7}|(?:10|29|3[09]|70[1-5]\d)\d{4,8})')) OR (length(n) IN (6, 7, 8, 9) AND regexp_matches(n, '^(?:18[1-8]\d{3,6})')) OR (length(n) IN (6, 7, 8, 9, 10) AND regexp_matches(n, '^(?:4946\d{2,6}|(?:4[0-8]|50)\d{4,8})')))) OR /* FI */ (regexp_matches(n, '^(?:[1-35689]\d{4}|7\d{10,11}|(?:[124-7]\d|3[0-46-9])\d{8}|[1-9]\d{5,8})') AND ((length(n) IN (8, 9) AND regexp_matches(n, '^(?:[67]00\d{5,6})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:800\d{4,6})')) OR (length(n) IN (5, 6, 7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:20\d{4,8}|60[12]\d{5,6}|7(?:099\d{4,5}|5[03-9]\d{3,7})|20[2-59]\d\d|(?:606|7(?:0[78]|1|3\d))\d{7}|(?:10|29|3[09]|70[1-5]\d)\d{4,8})')) OR (length(n) IN (5, 6, 7, 8, 9) AND regexp_matches(n, '^(?:1[3-7][1-8]\d{3,6}|(?:19[1-8]|[23568][1-8]\d|9(?:00|[1-8]\d))\d{2,6})')) OR (length(n) IN (6, 7, 8, 9, 10) AND regexp_matches(n, '^(?:4946\d{2,6}|(?:4[0-8]|50)\d{4,8})'))))
        WHEN '387' THEN /* BA */ (regexp_matches(n, '^(?:6\d{8}|(?:[35689]\d|49|70)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:9[0246]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8[08]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8[12]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:703[235]0\d{3}|70(?:2[0-5]|3[0146]|[56]0)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:3(?:[05-79][2-9]|1[4579]|[23][24-9]|4[2-4689]|8[2457-9])|49[2-579]|5(?:0[2-49]|[13][2-9]|[268][2-4679]|4[4689]|5[2-79]|7[2-69]|9[2-4689]))\d{5})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:6040\d{5}|6(?:03|[1-356]|44|7\d)\d{6})'))))
        WHEN '32' THEN /* BE */ (regexp_matches(n, '^(?:4\d{8}|[1-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:(?:70(?:2[0-57]|3[04-7]|44|6[04-69]|7[0579])|90\d\d)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800[1-9]\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:7879\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:78(?:0[578]|1[014-8]|2[25]|3[15-8]|48|5[05]|60|7[06-8]|9\d)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[2-8]\d{5}|(?:1[0-69]|[23][2-8]|4[23]|5\d|6[013-57-9]|71|8[1-79]|9[2-4])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:4[5-9]\d{7})'))))
        WHEN '359' THEN /* BG */ (regexp_matches(n, '^(?:00800\d{7}|[2-7]\d{6,7}|[89]\d{6,8}|2\d{5})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:90\d{6})')) OR (length(n) IN (8, 12) AND regexp_matches(n, '^(?:(?:00800\d\d|800)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:700\d{5})')) OR (length(n) IN (6, 7, 8) AND regexp_matches(n, '^(?:2\d{5,7}|(?:43[1-6]|70[1-9])\d{4,5}|(?:[36]\d|4[124-7]|[57][1-9]|8[1-6]|9[1-7])\d{5,6})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:(?:43[07-9]|99[69]\d)\d{5}|(?:8[7-9]|98)\d{7})'))))
        WHEN '375' THEN /* BY */ (regexp_matches(n, '^(?:(?:[12]\d|33|44|902)\d{7}|8(?:0[0-79]\d{5,7}|[1-7]\d{9})|8(?:1[0-489]|[5-79]\d)\d{7}|8[1-79]\d{6,7}|8[0-79]\d{5}|8\d{5})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:(?:810|902)\d{7})')) OR (length(n) IN (6, 7, 8, 9, 10, 11) AND regexp_matches(n, '^(?:800\d{3,7}|8(?:0[13]|20\d)\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:249\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:1(?:5(?:1[1-5]|[24]\d|6[2-4]|9[1-7])|6(?:[235]\d|4[1-7])|7\d\d)|2(?:1(?:[246]\d|3[0-35-9]|5[1-9])|2(?:[235]\d|4[0-8])|3(?:[26]\d|3[02-79]|4[024-7]|5[03-7])))\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:2(?:5[5-79]|9[1-9])|(?:33|44)\d)\d{6})'))))
        WHEN '357' THEN /* CY */ (regexp_matches(n, '^(?:(?:[279]\d|[58]0)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:90[09]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[1-9]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:700\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:50|77)\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2[2-6]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:9(?:10|[4-79]\d)\d{5})'))))
        WHEN '372' THEN /* EE */ (regexp_matches(n, '^(?:8\d{9}|[4578]\d{7}|(?:[3-8]\d|90)\d{5})') AND ((length(n) IN (7, 8) AND regexp_matches(n, '^(?:(?:40\d\d|900)\d{4})')) OR (length(n) IN (7, 8, 10) AND regexp_matches(n, '^(?:800(?:(?:0\d\d|1)\d|[2-9])\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:70[0-2]\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:3[23589]|4[3-8]|6\d|7[1-9]|88)\d{5})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:(?:5\d{5}|8(?:1(?:0(?:0(?:00|[178]\d)|[3-9]\d\d)|(?:1(?:0[2-6]|1\d)|[2-79]\d\d)\d)|2(?:0(?:0(?:00|4\d)|(?:19|[2-7]\d)\d)|(?:(?:[124-69]\d|3[5-9])\d|7(?:[0-79]\d|8[013-9])|8(?:[2-6]\d|7[01]))\d)|[349]\d{4}))\d\d|5(?:(?:[02]\d|5[0-478])\d|1(?:[0-8]\d|95)|6(?:4[0-4]|5[1-589]))\d{3})'))))
        WHEN '34' THEN /* ES */ (regexp_matches(n, '^(?:[5-9]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:80[367]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:[89]00\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:90[12]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:70\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:51\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:96906(?:0[0-8]|1[1-9]|[2-9]\d)\d\d|9(?:69(?:0[0-57-9]|[1-9]\d)|73(?:[0-8]\d|9[1-9]))\d{4}|(?:8(?:[1356]\d|[28][0-8]|[47][1-9])|9(?:[135]\d|[268][0-8]|4[1-9]|7[124-9]))\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:96906(?:09|10)\d\d|(?:590(?:10[0-2]|600)|97390\d)\d{3}|(?:6\d|7[1-48])\d{7})'))))
        WHEN '33' THEN /* FR */ (regexp_matches(n, '^(?:[1-9]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:836(?:0[0-36-9]|[1-9]\d)\d{4}|8(?:1[2-9]|2[2-47-9]|3[0-57-9]|[569]\d|8[0-35-9])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8(?:1[01]|2[0156]|4[024]|84)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9\d{8})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[6-9]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:26[013-9]|59[1-35-9])\d{6}|(?:[13]\d|2[0-57-9]|4[1-9]|5[0-8])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:6(?:[0-24-8]\d|3[0-8]|9[589])|7[3-9]\d)\d{6})'))))
        WHEN '350' THEN /* GI */ (regexp_matches(n, '^(?:(?:[25]\d|60)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:2190[0-2]\d{3}|2(?:0(?:[02]\d|3[01])|16[24-9]|2[2-5]\d)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:5251[0-4]\d{3}|(?:5(?:[146-8]\d\d|250)|60(?:1[01]|6\d))\d{4})'))))
        WHEN '30' THEN /* GR */ (regexp_matches(n, '^(?:5005000\d{3}|8\d{9,11}|(?:[269]\d|70)\d{8})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:90[19]\d{7})')) OR (length(n) IN (10, 11, 12) AND regexp_matches(n, '^(?:800\d{7,9})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:0[16]|12|[27]5|50)\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:70\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:5005000\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:2(?:1\d\d|2(?:2[1-46-9]|[36][1-8]|4[1-7]|5[1-4]|7[1-5]|[89][1-9])|3(?:1\d|2[1-57]|[35][1-3]|4[13]|7[1-7]|8[124-6]|9[1-79])|4(?:1\d|2[1-8]|3[1-4]|4[13-5]|6[1-578]|9[1-5])|5(?:1\d|[29][1-4]|3[1-5]|4[124]|5[1-6])|6(?:1\d|[269][1-6]|3[1245]|4[1-7]|5[13-9]|7[14]|8[1-5])|7(?:1\d|2[1-5]|3[1-6]|4[1-7]|5[1-57]|6[135]|9[125-7])|8(?:1\d|2[1-5]|[34][1-4]|9[1-57]))\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:68[57-9]\d{7}|(?:69|94)\d{8})'))))
        WHEN '385' THEN /* HR */ (regexp_matches(n, '^(?:[2-69]\d{8}|80\d{5,7}|[1-79]\d{7}|6\d{6})') AND ((length(n) IN (7, 8) AND regexp_matches(n, '^(?:6[01459]\d{6}|6[01]\d{5})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:80\d{5,7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:7[45]\d{6})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:62\d{6,7}|72\d{6})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:1\d{7}|(?:2[0-3]|3[1-5]|4[02-47-9]|5[1-3])\d{6,7})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:9(?:(?:0[1-9]|[12589]\d)\d\d|7(?:[0679]\d\d|5(?:[01]\d|44|55|77|9[5-79])))\d{4}|98\d{6})'))))
        WHEN '36' THEN /* HU */ (regexp_matches(n, '^(?:[235-7]\d{8}|[1-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:9[01]\d{6})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:(?:[48]0\d|680[29])\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:21\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:38\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:1\d|[27][2-9]|3[2-7]|4[24-9]|5[2-79]|6[23689]|8[2-57-9]|9[2-69])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:[257]0|3[01])\d{7})'))))
        WHEN '353' THEN /* IE */ (regexp_matches(n, '^(?:(?:1\d|[2569])\d{6,8}|4\d{6,9}|7\d{8}|8\d{8,9})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:15(?:1[2-8]|[2-8]0|9[089])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1800\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:18[59]0\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:76\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:700\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:818\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:88210[1-9]\d{4}|8(?:[35-79]5\d\d|8(?:[013-9]\d\d|2(?:[01][1-9]|[2-9]\d)))\d{5})')) OR (length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:(?:1\d|21)\d{6,7}|(?:2[24-9]|4(?:0[24]|5\d|7)|5(?:0[45]|1\d|8)|6(?:1\d|[237-9])|9(?:1\d|[35-9]))\d{5}|(?:23|4(?:[1-469]|8\d)|5[23679]|6[4-6]|7[14]|9[04])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8(?:22|[35-9]\d)\d{6})'))))
        WHEN '354' THEN /* IS */ (regexp_matches(n, '^(?:(?:38\d|[4-9])\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:90(?:0\d|1[5-79]|2[015-79]|3[135-79]|4[125-7]|5[25-79]|7[1-37]|8[0-35-7])\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:80[0-8]\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:49[0-24-79]\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:809\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:689|8(?:7[18]|80)|95[48])\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:4(?:1[0-24-69]|2[0-7]|[37][0-8]|4[0-24589]|5[0-68]|6\d|8[0-36-8])|5(?:05|[156]\d|2[02578]|3[0-579]|4[03-7]|7[0-2578]|8[0-35-9]|9[013-689])|872)\d{4})')) OR (length(n) IN (7, 9) AND regexp_matches(n, '^(?:(?:38[589]\d\d|6(?:1[1-8]|2[0-6]|3[026-9]|4[014679]|5[0159]|6[0-69]|70|8[06-8]|9\d)|7(?:5[057]|[6-9]\d)|8(?:2[0-59]|[3-69]\d|8[238]))\d{4})'))))
        WHEN '39' THEN /* IT */ (regexp_matches(n, '^(?:0\d{5,11}|1\d{8,10}|3(?:[0-8]\d{7,10}|9\d{7,8})|(?:43|55|70)\d{8}|8\d{5}(?:\d{2,4})?)') AND ((length(n) IN (6, 8, 9, 10) AND regexp_matches(n, '^(?:(?:0878\d{3}|89(?:2\d|3[04]|4(?:[0-4]|[5-9]\d\d)|5[0-4]))\d\d|(?:1(?:44|6[346])|89(?:38|5[5-9]|9))\d{6})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:80(?:0\d{3}|3)\d{3})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:84(?:[08]\d{3}|[17])\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:55\d{8})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:1(?:78\d|99)\d{6})')) OR (length(n) IN (11, 12) AND regexp_matches(n, '^(?:3[2-8]\d{9,10})')) OR (length(n) IN (6, 7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:0(?:669[0-79]\d{1,6}|831\d{2,8})|0(?:1(?:[0159]\d|[27][1-5]|31|4[1-4]|6[1356]|8[2-57])|2\d\d|3(?:[0159]\d|2[1-4]|3[12]|[48][1-6]|6[2-59]|7[1-7])|4(?:[0159]\d|[23][1-9]|4[245]|6[1-5]|7[1-4]|81)|5(?:[0159]\d|2[1-5]|3[2-6]|4[1-79]|6[4-6]|7[1-578]|8[3-8])|6(?:[0-57-9]\d|6[0-8])|7(?:[0159]\d|2[12]|3[1-7]|4[2-46]|6[13569]|7[13-6]|8[1-59])|8(?:[0159]\d|2[3-578]|3[2356]|[6-8][1-5])|9(?:[0159]\d|[238][1-5]|4[12]|6[1-8]|7[1-6]))\d{2,7})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:3[2-9]\d{7,8}|(?:31|43)\d{8})')))) OR /* VA */ (regexp_matches(n, '^(?:0\d{5,10}|3[0-8]\d{7,10}|55\d{8}|8\d{5}(?:\d{2,4})?|(?:1\d|39)\d{7,8})') AND ((length(n) IN (6, 8, 9, 10) AND regexp_matches(n, '^(?:(?:0878\d{3}|89(?:2\d|3[04]|4(?:[0-4]|[5-9]\d\d)|5[0-4]))\d\d|(?:1(?:44|6[346])|89(?:38|5[5-9]|9))\d{6})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:80(?:0\d{3}|3)\d{3})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:84(?:[08]\d{3}|[17])\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:55\d{8})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:1(?:78\d|99)\d{6})')) OR (length(n) IN (11, 12) AND regexp_matches(n, '^(?:3[2-8]\d{9,10})')) OR (length(n) IN (6, 7, 8, 9, 10, 11) AND regexp_matches(n, '^(?:06698\d{1,6})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:3[1-9]\d{8}|3[2-9]\d{7})'))))
        WHEN '370' THEN /* LT */ (regexp_matches(n, '^(?:(?:[3469]\d|52|[78]0)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:9(?:0[0239]|10)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[02]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:808\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[89]01\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:70[05]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:70[67]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:3[1478]|4[124-6]|52)\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:6\d{7})'))))
        WHEN '352' THEN /* LU */ (regexp_matches(n, '^(?:35[013-9]\d{4,8}|6\d{8}|35\d{2,4}|(?:[2457-9]\d|3[0-46-9])\d{2,9})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:90[015]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:801\d{5})')) OR (length(n) IN (4, 5, 6, 7, 8, 9, 10) AND regexp_matches(n, '^(?:20(?:1\d{5}|[2-689]\d{1,7}))')) OR (length(n) IN (4, 5, 6, 7, 8, 9, 10, 11) AND regexp_matches(n, '^(?:(?:35[013-9]|80[2-9]|90[89])\d{1,8}|(?:2[2-9]|3[0-46-9]|[457]\d|8[13-9]|9[2-579])\d{2,9})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:6(?:[26][18]|5[1568]|7[189]|81|9[128])\d{6})'))))
        WHEN '371' THEN /* LV */ (regexp_matches(n, '^(?:(?:[268]\d|78|90)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:90\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:81\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:6\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2333[0-8]\d{3}|2(?:[0-24-9]\d\d|3(?:0[07]|[14-9]\d|2[02-9]|3[0-24-9]))\d{4})'))))
        WHEN '377' THEN /* MC */ (regexp_matches(n, '^(?:(?:[3489]|[67]\d)\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:(?:800|90\d)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:870|9[2-47-9]\d)\d{5})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:4(?:[46]\d|5[1-9])\d{5}|(?:3|[67]\d)\d{7})'))))
        WHEN '373' THEN /* MD */ (regexp_matches(n, '^(?:(?:[235-7]\d|[89]0)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:90[056]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:808\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:3[08]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:803\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:(?:2[1-9]|3[1-79])\d|5(?:33|5[257]))\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:562\d{5}|(?:6\d|7[16-9])\d{6})'))))
        WHEN '382' THEN /* ME */ (regexp_matches(n, '^(?:(?:20|[3-79]\d)\d{6}|80\d{6,7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:9(?:4[1568]|5[178])\d{5})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:80(?:[0-2578]|9\d)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:78[1-49]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:77[1-9]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:20[2-8]|3(?:[0-2][2-7]|3[24-7])|4(?:0[2-467]|1[2467])|5(?:0[2467]|1[24-7]|2[2-467]))\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:6(?:[07-9]\d|3[024]|6[0-25])\d{5})'))))
        WHEN '389' THEN /* MK */ (regexp_matches(n, '^(?:[2-578]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:5\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8(?:0[1-9]|[1-9]\d)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:(?:2(?:62|77)0|3444)\d|4[56]440)\d{3}|(?:34|4[357])700\d{3}|(?:2(?:[0-3]\d|5[0-578]|6[01]|82)|3(?:1[3-68]|[23][2-68]|4[23568])|4(?:[23][2-68]|4[3-68]|5[2568]|6[25-8]|7[24-68]|8[4-68]))\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:7(?:3555|(?:474|9[019]7)7)\d{3}|7(?:[0-25-8]\d\d|3(?:[1-478]\d|6[01])|4(?:2\d|60|7[01578])|9(?:[2-4]\d|5[01]|7[015]))\d{4})'))))
        WHEN '356' THEN /* MT */ (regexp_matches(n, '^(?:3550\d{4}|(?:[2579]\d\d|800)\d{5})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:5(?:0(?:0(?:37|43)|(?:6\d|70|9[0168])\d)|[12]\d0[1-5])\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800(?:02|[3467]\d)\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:3550\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:7117\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:501\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:20(?:3[1-4]|6[059])\d{4}|2(?:0[19]|[1-357]\d|60)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:7(?:210|[79]\d\d)|9(?:[29]\d\d|69[67]|8(?:1[1-3]|89|97)))\d{4})'))))
        WHEN '31' THEN /* NL */ (regexp_matches(n, '^(?:(?:[124-7]\d\d|3(?:[02-9]\d|1[0-8]))\d{6}|8\d{6,9}|9\d{6,10}|1\d{4,5})') AND ((length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:90[069]\d{4,7})')) OR (length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:800\d{4,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:85|91)\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:66\d{7})')) OR (length(n) IN (5, 6, 9) AND regexp_matches(n, '^(?:140(?:1[035]|2[0346]|3[03568]|4[0356]|5[0358]|8[458])|(?:140(?:1[16-8]|2[259]|3[124]|4[17-9]|5[124679]|7)|8[478]\d{6})\d)')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:1(?:[035]\d|1[13-578]|6[124-8]|7[24]|8[0-467])|2(?:[0346]\d|2[2-46-9]|5[125]|9[479])|3(?:[03568]\d|1[3-8]|2[01]|4[1-8])|4(?:[0356]\d|1[1-368]|7[58]|8[15-8]|9[23579])|5(?:[0358]\d|[19][1-9]|2[1-57-9]|4[13-8]|6[126]|7[0-3578])|7\d\d)\d{6})')) OR (length(n) IN (9, 11) AND regexp_matches(n, '^(?:(?:6[1-58]|970\d)\d{7})'))))
        WHEN '351' THEN /* PT */ (regexp_matches(n, '^(?:1693\d{5}|(?:[26-9]\d|30)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:(?:6(?:0[178]|4[68])\d|76(?:0[1-57]|1[2-47]|2[237]))\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[02]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80(?:8\d|9[1579])\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:30\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:884[0-4689]\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:6(?:222\d|89(?:00|88|99))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:70(?:38[01]|596|(?:7\d|8[17])\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:600\d{6}|6[06]92(?:0\d|3[349]|49)\d{3})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:2(?:[12]\d|3[1-689]|4[1-59]|[57][1-9]|6[1-35689]|8[1-69]|9[1256])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:6(?:[06]92(?:30|9\d)|[35]92(?:[049]\d|3[034]))\d{3}|(?:(?:16|6[0356])93|9(?:[1-36]\d\d|480))\d{5})'))))
        WHEN '381' THEN /* RS */ (regexp_matches(n, '^(?:38[02-9]\d{6,9}|6\d{7,9}|90\d{4,8}|38\d{5,6}|(?:7\d\d|800)\d{3,9}|(?:[12]\d|3[0-79])\d{5,10})') AND ((length(n) IN (6, 7, 8, 9, 10) AND regexp_matches(n, '^(?:(?:78\d|90[0169])\d{3,7})')) OR (length(n) IN (6, 7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:800\d{3,9})')) OR (length(n) IN (6, 7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:7[06]\d{4,10})')) OR (length(n) IN (7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:(?:11[1-9]\d|(?:2[389]|39)(?:0[2-9]|[2-9]\d))\d{3,8}|(?:1[02-9]|2[0-24-7]|3[0-8])[2-9]\d{4,9})')) OR (length(n) IN (8, 9, 10) AND regexp_matches(n, '^(?:6(?:[0-689]|7\d)\d{6,7})'))))
        WHEN '386' THEN /* SI */ (regexp_matches(n, '^(?:[1-7]\d{7}|8\d{4,7}|90\d{4,6})') AND ((length(n) IN (5, 6, 7, 8) AND regexp_matches(n, '^(?:89[1-3]\d{2,5}|90\d{4,6})')) OR (length(n) IN (6, 7, 8) AND regexp_matches(n, '^(?:80\d{4,6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:59\d\d|8(?:1(?:[67]\d|8[0-589])|2(?:0\d|2[0-37-9]|8[0-2489])|3[389]\d))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:[1-357][2-8]|4[24-8])\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:65(?:[178]\d|5[56]|6[01])\d{4}|(?:[37][01]|4[013]|51|6[489])\d{6})'))))
        WHEN '378' THEN /* SM */ (regexp_matches(n, '^(?:(?:0549|[5-7]\d)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:7[178]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:5[158]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:0549(?:8[0157-9]|9\d)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:6[16]\d{6})'))))
        WHEN '380' THEN /* UA */ (regexp_matches(n, '^(?:[89]\d{9}|[3-9]\d{8})') AND ((length(n) IN (9, 10) AND regexp_matches(n, '^(?:900[239]\d{5,6})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:800[1-8]\d{5,6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:89[1-579]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:3[1-8]|4[13-8]|5[1-7]|6[12459])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:790\d{6}|(?:39|50|6[36-8]|7[1-357]|9[1-9])\d{7})'))))
        WHEN '383' THEN /* XK */ (regexp_matches(n, '^(?:2\d{7,8}|3\d{7,11}|(?:4\d\d|[89]00)\d{5})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:900\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800\d{5})')) OR (length(n) IN (8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:38\d{6,10}|(?:2[89]|39)(?:0\d{5,6}|[1-9]\d{5}))')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:4[3-9]\d{6})')))) ELSE false END
    WHEN '9' THEN CASE cc
        WHEN '971' THEN /* AE */ (regexp_matches(n, '^(?:(?:[4-7]\d|9[0-689])\d{7}|800\d{2,9}|[2-4679]\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:900[02]\d{5})')) OR (length(n) IN (5, 6, 7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:400\d{6}|800\d{2,9})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:700[05]\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:600[25]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[2-4679][2-8]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:5[02-68]\d{7})'))))
        WHEN '93' THEN /* AF */ (regexp_matches(n, '^(?:[2-7]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:(?:[25][0-8]|[34][0-4]|6[0-5])[2-9]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7\d{8})'))))
        WHEN '994' THEN /* AZ */ (regexp_matches(n, '^(?:365\d{6}|(?:[124579]\d|60|88)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:900200\d{3})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:88\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:2[12]428|3655[02])\d{4}|(?:2(?:22[0-79]|63[0-28])|3654)\d{5}|(?:(?:1[28]|46)\d|2(?:[014-6]2|[23]3))\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:36554\d{4}|(?:[16]0|4[04]|5[015]|7[07]|99)\d{7})'))))
        WHEN '973' THEN /* BH */ (regexp_matches(n, '^(?:[136-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:(?:87|9[0-8])\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8[02369]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:84\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:1(?:3[1356]|6[0156]|7\d)\d|6(?:1[16]\d|500|6(?:0\d|3[12]|44|55|7[7-9]|88)|9[69][69])|7(?:[07]\d\d|1(?:11|78)))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:3(?:[0-79]\d|8[0-57-9])\d|6(?:3(?:00|33|6[16])|441|6(?:3[03-9]|[69]\d|7[0-689])))\d{4})'))))
        WHEN '975' THEN /* BT */ (regexp_matches(n, '^(?:[178]\d{7}|[2-8]\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:(?:2[3-6]|[34][5-7]|5[236]|6[2-46]|7[246]|8[2-4])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:1[67]|[78]7)\d{6})'))))
        WHEN '995' THEN /* GE */ (regexp_matches(n, '^(?:(?:[3-57]\d\d|800)\d{6})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:70[67]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:3(?:[256]\d|4[124-9]|7[0-4])|4(?:1\d|2[2-7]|3[1-79]|4[2-8]|7[239]|9[1-7]))\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:5(?:(?:(?:0555|1(?:[17]77|555))[5-9]|757(?:7[7-9]|8[01]))\d|22252[0-4])\d\d|5(?:0(?:0(?:1[09]|70)|505)|1(?:0[01]0|1(?:07|33|51))|2(?:0[02]0|2[25]2)|3(?:0[03]0|3[35]3)|(?:40[04]|900)0|5222)[0-4]\d{3}|(?:5(?:0(?:0(?:0\d|1[12]|22|3[0-6]|44|5[05]|77|88|9[09])|(?:[14]\d|77)\d|22[02])|1(?:1(?:[03][01]|[124]\d|5[2-6]|7[0-6])|4\d\d)|[23]555|4(?:4\d\d|555)|5(?:[0157-9]\d\d|200|333|4(?:44|55))|6[89]\d\d|7(?:(?:[0147-9]\d|22)\d|5(?:00|[57]5))|8(?:0(?:[018]\d|2[0-4])|5(?:55|8[89])|8(?:55|88))|9(?:090|[1-35-9]\d\d))|790\d\d)\d{4})'))))
        WHEN '972' THEN /* IL */ (regexp_matches(n, '^(?:1\d{6}(?:\d{3,5})?|[57]\d{8}|[1-489]\d{7})') AND ((length(n) IN (8, 10) AND regexp_matches(n, '^(?:1212\d{4}|1(?:200|9(?:0[0-2]|19|9\d))\d{6})')) OR (length(n) IN (7, 10) AND regexp_matches(n, '^(?:1(?:255|80[019]\d{3})\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1700\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7(?:38(?:[05]\d|8[0138])|8(?:33|55|77|81)\d)\d{4}|7(?:18|2[23]|3[237]|47|6[258]|7\d|82|9[2-9])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1599\d{6})')) OR (length(n) IN (11, 12) AND regexp_matches(n, '^(?:151\d{8,9})')) OR (length(n) IN (8, 11, 12) AND regexp_matches(n, '^(?:153\d{8,9}|29[1-9]\d{5}|(?:2[0-8]|[3489]\d)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:55(?:4(?:0[0-3]|[16]0)|57[0-289])\d{4}|5(?:(?:[0-2][02-9]|[36]\d|[49][2-9]|8[3-7])\d|5(?:01|2\d|3[0-3]|4[3-5]|5[0-25689]|6[6-8]|7[0-267]|8[7-9]|9[1-9]))\d{5})'))))
        WHEN '91' THEN /* IN */ (regexp_matches(n, '^(?:(?:000800|[2-9]\d\d)\d{7}|1\d{7,12})') AND ((length(n) IN (13) AND regexp_matches(n, '^(?:186[12]\d{9})')) OR (length(n) IN (8, 9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:000800\d{7}|180(?:0\d{4,9}|3\d{9}))')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:1860\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:140\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2717(?:[2-7]\d|95)|6828[235-7]\d)\d{4}|(?:170[24]|280[13468]|4(?:20[24]|72[2-8])|552[1-7])\d{6}|(?:271[0-689]|682[0-79]|782[0-6])[2-7]\d{5}|(?:2(?:[02][2-79]|90)|3(?:23|80)|683|79[1-7])\d{7}|(?:11|33|4[04]|80)[2-7]\d{7}|(?:342|674|788)(?:[0189][2-7]|[2-7]\d)\d{5}|(?:1(?:2[0-249]|3[0-25]|4[145]|[59][14]|6[014]|7[1257]|8[01346])|2(?:1[257]|3[013]|4[01]|5[0137]|6[0158]|78|8[1568]|9[14])|3(?:26|4[13]|5[34]|6[01489]|7[02-46]|8[159])|4(?:1[36]|2[1-47]|3[15]|5[12]|6[0-26-9]|7[014-9]|8[013-57]|9[014-7])|5(?:1[025]|22|[36][25]|4[28]|[578]1|9[15])|6(?:12|[2-47]1|5[17]|6[13]|80)|7(?:12|2[14]|3[134]|4[47]|5[15]|[67]1)|8(?:16|2[014]|3[126]|6[136]|7[078]|8[34]|91))[2-7]\d{6}|(?:1(?:2[35-8]|3[346-9]|4[236-9]|[59][0235-9]|6[235-9]|7[34689]|8[257-9])|2(?:1[134689]|3[24-8]|4[2-8]|5[25689]|6[2-4679]|7[3-79]|8[2-479]|9[235-9])|3(?:01|1[79]|2[1245]|4[5-8]|5[125689]|6[235-7]|7[157-9]|8[2-46-8])|4(?:1[14578]|2[5689]|3[2-467]|5[4-7]|6[35]|73|8[2689]|9[2389])|5(?:[16][146-9]|2[14-8]|3[1346]|4[14-69]|5[46]|7[2-4]|8[2-8]|9[246])|6(?:1[1358]|2[2457]|3[2-4]|4[235-7]|5[2-689]|6[24578]|7[235689]|8[14-6])|7(?:1[013-9]|2[0235-9]|3[2679]|4[1-35689]|5[2-46-9]|[67][02-9]|8[013-7]|9[089])|8(?:1[1357-9]|2[235-8]|3[03-57-9]|4[0-24-9]|5\d|6[2457-9]|7[1-6]|8[1256]|9[2-4]))\d[2-7]\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:6(?:1279|828[01489])|7(?:887[02-9]|9(?:313|79[07-9]))|8(?:079[04-9]|(?:84|91)7[02-8]))\d{5}|(?:160[01]|6(?:(?:12|[2-4]1|5[17]|6[13]|80)[0189]|7(?:1[0189]|86))|7(?:1(?:2[0189]|9[0-5])|3(?:2[5-8]|[34][017-9]|9[016-9])|5(?:[15][017-9]|2[04-9]|9[7-9])|6(?:0[0-47]|1[0-257-9]|2[0-4]|3[19]|5[4589])|70[0289]|88[089]|97[02-8])|8(?:0(?:6[67]|7[02-8])|70[017-9]|84[01489]|91[0-289]))\d{6}|(?:731|8(?:16|2[014]|3[126]|6[136]|7[78]|83))(?:[0189]\d|7[02-8])\d{5}|(?:6(?:(?:1[1358]|2[2457]|3[2-4]|4[235-7]|5[2-689]|6[24578])\d|7(?:[23569]\d|4[0189]|8[0-57-9])|8(?:[14-6]\d|2[0-79]))|7(?:1(?:[013-8]\d|9[6-9])|3(?:2[0-49]|9[2-5])|5(?:2[1-3]|9[0-6])|6(?:0[5689]|2[5-9]|3[02-8]|4\d|5[0-367])|70[13-7]|881))[0189]\d{5}|(?:6(?:[09]\d|1[04679]|2[03689]|3[05-9]|4[0489]|50|6[069]|7[07]|8[7-9])|7(?:[024]\d|3[05-8]|5[0346-8]|6[6-9]|7[1-9]|8[0-79]|9[089])|8(?:0[01589]|1[0-57-9]|2[235-9]|3[03-57-9]|[45]\d|6[02457-9]|7[1-69]|8[0-25-9]|9[02-9])|9\d\d)\d{7})'))))
        WHEN '964' THEN /* IQ */ (regexp_matches(n, '^(?:(?:1|7\d\d)\d{7}|[2-6]\d{7,8})') AND ((length(n) IN (8, 9) AND regexp_matches(n, '^(?:1\d{7}|(?:2[13-5]|3[02367]|4[023]|5[03]|6[026])\d{6,7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7[3-9]\d{8})'))))
        WHEN '98' THEN /* IR */ (regexp_matches(n, '^(?:[1-9]\d{9}|(?:[1-8]\d\d|9)\d{3,4})') AND ((length(n) IN (4, 5) AND regexp_matches(n, '^(?:96(?:0[12]|2[16-8]|3(?:08|[14]5|[23]|66)|4(?:0|80)|5[01]|6[89]|86|9[19]))')) OR (length(n) IN (6, 7, 10) AND regexp_matches(n, '^(?:(?:1[137]|2[13-68]|3[1458]|4[145]|5[1468]|6[16]|7[1467]|8[13467])(?:[03-57]\d{7}|[16]\d{3}(?:\d{4})?|[289]\d{3}(?:\d(?:\d{3})?)?)|94(?:000[09]|(?:12\d|30[0-2])\d|2(?:[02689]0\d|121)|4(?:111|40\d))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:9(?:(?:0[0-5]|[13]\d|2[0-3])\d\d|9(?:[0-46]\d\d|5(?:10|5\d)|8(?:[12]\d|88)|9(?:[01359]\d|21|69|77|8[7-9])))\d{5})'))))
        WHEN '962' THEN /* JO */ (regexp_matches(n, '^(?:(?:(?:[2689]|7\d)\d|32|427|53)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:9\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:85\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:70\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:74(?:66|77)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8(?:10|8\d)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:87(?:000|90[01])\d{3}|(?:2(?:6(?:2[0-35-9]|3[0-578]|4[24-7]|5[0-24-8]|[6-8][023]|9[0-3])|7(?:0[1-79]|10|2[014-7]|3[0-689]|4[019]|5[0-3578]))|32(?:0[1-69]|1[1-35-7]|2[024-7]|3\d|4[0-3]|[5-7][023])|53(?:0[0-3]|[13][023]|2[0-59]|49|5[0-35-9]|6[15]|7[45]|8[1-6]|9[0-36-9])|6(?:2(?:[05]0|22)|3(?:00|33)|4(?:0[0-25]|1[2-7]|2[0569]|[38][07-9]|4[025689]|6[0-589]|7\d|9[0-2])|5(?:[01][056]|2[034]|3[0-57-9]|4[178]|5[0-69]|6[0-35-9]|7[1-379]|8[0-68]|9[0239]))|87(?:20|7[078]|99))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:427|7(?:[78][0-25-9]|9\d))\d{6})'))))
        WHEN '996' THEN /* KG */ (regexp_matches(n, '^(?:8\d{9}|[235-9]\d{8})') AND ((length(n) IN (9, 10) AND regexp_matches(n, '^(?:800\d{6,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:312(?:5[0-79]\d|9(?:[0-689]\d|7[0-24-9]))\d{3}|(?:3(?:1(?:2[0-46-8]|3[1-9]|47|[56]\d)|2(?:22|3[0-479]|6[0-7])|4(?:22|5[6-9]|6\d)|5(?:22|3[4-7]|59|6\d)|6(?:22|5[35-7]|6\d)|7(?:22|3[468]|4[1-9]|59|[67]\d)|9(?:22|4[1-8]|6\d))|6(?:09|12|2[2-4])\d)\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:312(?:58\d|973)\d{3}|(?:2(?:0[0-35]|2\d)|5[0-24-7]\d|600|7(?:[07]\d|55)|88[08]|9(?:12|9[05-9]))\d{6})'))))
        WHEN '965' THEN /* KW */ (regexp_matches(n, '^(?:18\d{5}|(?:[2569]\d|41)\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:18\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2(?:[23]\d\d|4(?:[1-35-9]\d|44)|5(?:0[034]|[2-46]\d|5[1-3]|7[1-7]))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:41\d\d|5(?:(?:[05]\d|1[0-7]|6[56])\d|2(?:22|5[25])|7(?:55|77)|88[58])|6(?:(?:0[034679]|5[015-9]|6\d)\d|1(?:00|11|6[16])|2[26]2|3[36]3|4[46]4|7(?:0[013-9]|[67]\d)|8[68]8|9(?:[069]\d|3[039]))|9(?:(?:[04679]\d|8[057-9])\d|1(?:00|1[01]|99)|2(?:00|2\d)|3(?:00|3[03])|5(?:00|5\d)))\d{4})'))))
        WHEN '961' THEN /* LB */ (regexp_matches(n, '^(?:[27-9]\d{7}|[13-9]\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:9[01]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80\d{6})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:7(?:62|8[0-6]|9[04-9])\d{4}|(?:[14-69]\d|2(?:[14-69]\d|[78][1-9])|7[2-57]|8[02-9])\d{5})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:(?:(?:3|81)\d|7(?:[01]\d|6[013-9]|8[7-9]|9[0-4]))\d{5})'))))
        WHEN '94' THEN /* LK */ (regexp_matches(n, '^(?:[1-9]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:1973\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:12[2-9]|602|8[12]\d|9(?:1\d|22|9[245]))\d{6}|(?:11|2[13-7]|3[1-8]|4[157]|5[12457]|6[35-7])[2-57]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7(?:[0-25-8]\d|4[0-4])\d{6})'))))
        WHEN '95' THEN /* MM */ (regexp_matches(n, '^(?:1\d{5,7}|95\d{6}|(?:[4-7]|9[0-46-9])\d{6,8}|(?:2|8\d)\d{5,8})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:80080(?:0[1-9]|2\d)\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:1333\d{4})')) OR (length(n) IN (6, 7, 8, 9) AND regexp_matches(n, '^(?:(?:1(?:(?:12|[28]\d|3[56]|7[3-6]|9[0-6])\d|4(?:2[29]|7[0-2]|83)|6)|2(?:2(?:00|8[34])|4(?:0\d|22|7[0-2]|83)|51\d\d)|4(?:2(?:2\d\d|48[013])|3(?:20\d|4(?:70|83)|56)|420\d|5(?:2\d|470))|6(?:0(?:[23]|88\d)|(?:124|[56]2\d)\d|2472|3(?:20\d|470)|4(?:2[04]\d|472)|7(?:3\d\d|4[67]0|8(?:[01459]\d|8))))\d{4}|5(?:2(?:2\d{5,6}|47[02]\d{4})|(?:3472|4(?:2(?:1|86)|470)|522\d|6(?:20\d|483)|7(?:20\d|48[01])|8(?:20\d|47[02])|9(?:20\d|470))\d{4})|7(?:(?:0470|4(?:25\d|470)|5(?:202|470|96\d))\d{4}|1(?:20\d{4,5}|4(?:70|83)\d{4}))|8(?:1(?:2\d{5,6}|4(?:10|7[01]\d)\d{3})|2(?:2\d{5,6}|(?:320|490\d)\d{3})|(?:3(?:2\d\d|470)|4[24-7]|5(?:(?:2\d|51)\d|4(?:[1-35-9]\d|4[0-57-9]))|6[23])\d{4})|(?:1[2-6]\d|4(?:2[24-8]|3[2-7]|[46][2-6]|5[3-5])|5(?:[27][2-8]|3[2-68]|4[24-8]|5[23]|6[2-4]|8[24-7]|9[2-7])|6(?:[19]20|42[03-6]|(?:52|7[45])\d)|7(?:[04][24-8]|[15][2-7]|22|3[2-4])|8(?:1[2-689]|2[2-8]|(?:[35]2|64)\d))\d{4}|25\d{5,6}|(?:2[2-9]|6(?:1[2356]|[24][2-6]|3[24-6]|5[2-4]|6[2-8]|7[235-7]|8[245]|9[24])|8(?:3[24]|5[245]))\d{4})')) OR (length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:(?:17[01]|9(?:2(?:[0-4]|[56]\d\d)|(?:3(?:[0-36]|4\d)|(?:6\d|8[89]|9[4-8])\d|7(?:3|40|[5-9]\d))\d|4(?:(?:[0245]\d|[1379])\d|88)|5[0-6])\d)\d{4}|9[69]1\d{6}|9(?:[68]\d|9[089])\d{5})'))))
        WHEN '976' THEN /* MN */ (regexp_matches(n, '^(?:[12]\d{7,9}|[5-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:712[0-79]\d{4}|7(?:1[013-9]|[5-79]\d)\d{5})')) OR (length(n) IN (8, 9, 10) AND regexp_matches(n, '^(?:[12](?:2[1-3]|(?:3[2-8]|4[2-68]|5[1-4689])\d)\d{5,6}|7(?:0(?:[0-5]\d|7[078]|80)|128)\d{4}|[12]27\d{6}|(?:11|2[16]|5[368])\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:87[01]|92[0139])\d{5}|(?:5[05]|6[069]|7[28]|8[0135689]|9[013-9])\d{6})'))))
        WHEN '960' THEN /* MV */ (regexp_matches(n, '^(?:(?:800|9[0-57-9]\d)\d{7}|[34679]\d{6})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:800\d{7})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:4(?:0[01]|50)\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:3(?:0[0-4]|3[0-59])|6(?:[58][024689]|6[024-68]|7[02468]))\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:46[46]|[79]\d\d)\d{4})'))))
        WHEN '977' THEN /* NP */ (regexp_matches(n, '^(?:(?:1\d|9)\d{9}|[1-9]\d{7})') AND ((length(n) IN (11) AND regexp_matches(n, '^(?:1(?:66001|800\d\d)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:1[0-6]\d|99[02-6])\d{5}|(?:2[13-79]|3[135-8]|4[146-9]|5[135-7]|6[13-9]|7[15-9]|8[1-46-9]|9[1-7])[2-6]\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:9(?:00|6[0-3]|7[0-24-6]|8[0-24-68])\d{7})'))))
        WHEN '968' THEN /* OM */ (regexp_matches(n, '^(?:(?:1505|[279]\d{3}|500)\d{4}|800\d{5,6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:900\d{5})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:8007\d{4,5}|(?:500|800[05])\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2[1-6]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:1505|90[1-9]\d)\d{4}|(?:7[124-9]|9[1-9])\d{6})'))))
        WHEN '92' THEN /* PK */ (regexp_matches(n, '^(?:122\d{6}|[24-8]\d{10,11}|9(?:[013-9]\d{8,10}|2(?:[01]\d\d|2(?:[06-8]\d|1[01]))\d{7})|(?:[2-8]\d{3}|92(?:[0-7]\d|8[1-9]))\d{6}|[24-9]\d{8}|[89]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:900\d{5})')) OR (length(n) IN (8, 11) AND regexp_matches(n, '^(?:800\d{5}(?:\d{3})?)')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:122\d{6})')) OR (length(n) IN (11, 12) AND regexp_matches(n, '^(?:(?:2(?:[125]|3[2358]|4[2-4]|9[2-8])|4(?:[0-246-9]|5[3479])|5(?:[1-35-7]|4[2-467])|6(?:0[468]|[1-8])|7(?:[14]|2[236])|8(?:[16]|2[2-689]|3[23578]|4[3478]|5[2356])|9(?:1|22|3[27-9]|4[2-6]|6[3569]|9[2-7]))111\d{6})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:(?:(?:21|42)[2-9]|58[126])\d{7}|(?:2[25]|4[0146-9]|5[1-35-7]|6[1-8]|7[14]|8[16]|91)[2-9]\d{6,7}|(?:2(?:3[2358]|4[2-4]|9[2-8])|45[3479]|54[2-467]|60[468]|72[236]|8(?:2[2-689]|3[23578]|4[3478]|5[2356])|9(?:2[2-8]|3[27-9]|4[2-6]|6[3569]|9[25-8]))[2-9]\d{5,6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:3(?:[0-247]\d|3[0-79]|55|64)\d{7})'))))
        WHEN '970' THEN /* PS */ (regexp_matches(n, '^(?:[2489]2\d{6}|(?:1\d|5)\d{8})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:1800\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1700\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:22[2-47-9]|42[45]|82[014-68]|92[3569])\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:5[69]\d{7})'))))
        WHEN '974' THEN /* QA */ (regexp_matches(n, '^(?:800\d{4}|(?:2|800)\d{6}|(?:0080|[3-7])\d{7})') AND ((length(n) IN (7, 9, 11) AND regexp_matches(n, '^(?:800\d{4}|(?:0080[01]|800)\d{6})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:2[136]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:4(?:(?:[014]\d\d|999)\d|2022)\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[35-7]\d{7})'))))
        WHEN '966' THEN /* SA */ (regexp_matches(n, '^(?:(?:[15]\d|800|92)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:925\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:800\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:920\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:1(?:1\d|2[24-8]|3[35-8]|4[3-68]|6[2-5]|7[235-7])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:579[0-8]\d{5}|5(?:[013-689]\d|7[0-8])\d{6})'))))
        WHEN '963' THEN /* SY */ (regexp_matches(n, '^(?:[1-359]\d{8}|[1-5]\d{7})') AND ((length(n) IN (8, 9) AND regexp_matches(n, '^(?:21\d{6,7}|(?:1(?:[14]\d|[2356])|2[235]|3(?:[13]\d|4)|4[134]|5[1-3])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:50|9[1-9])\d{7})'))))
        WHEN '992' THEN /* TJ */ (regexp_matches(n, '^(?:(?:[0-57-9]\d|66)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:(?:3(?:1[3-5]|2[245]|3[12]|4[24-7]|5[25]|72)|4(?:46|74|87))\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:33[03-9]|4(?:1[18]|4[02-479])|81[1-9])\d{6}|(?:[09]\d|1[0-27-9]|2[0-27]|3[08]|40|5[05]|66|7[0157-9]|8[07-9])\d{7})'))))
        WHEN '993' THEN /* TM */ (regexp_matches(n, '^(?:(?:[1-6]\d|71)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:(?:1(?:2\d|3[1-9])|2(?:22|4[0-35-8])|3(?:22|4[03-9])|4(?:22|3[128]|4\d|6[15])|5(?:22|5[7-9]|6[014-689]))\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:6\d|71)\d{6})'))))
        WHEN '90' THEN /* TR */ (regexp_matches(n, '^(?:4\d{6}|8\d{11,12}|(?:[2-58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:(?:8[89]8|900)\d{7})')) OR (length(n) IN (10, 12, 13) AND regexp_matches(n, '^(?:8(?:00\d{7}(?:\d{2,3})?|11\d{7}))')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:850\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:592(?:21[12]|461)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:512\d{7})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:444\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:1[26]|[28][2468]|[3-5][268]|[67][246])|3(?:[13][28]|[24-6][2468]|[78][02468]|92)|4(?:[16][246]|[23578][2468]|4[26]))\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:561(?:011|61\d)\d{4}|5(?:[03-5]\d|1[06]|24|6[24]|7[245]|9[46])\d{7})'))))
        WHEN '998' THEN /* UZ */ (regexp_matches(n, '^(?:(?:20|33|[5-9]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:(?:55\d\d|6(?:1(?:22|3[124]|4[1-4]|5[1-3578]|64)|2(?:22|3[0-57-9]|41)|5(?:22|3[3-7]|5[024-8])|[69]\d\d|7(?:[23]\d|7[69]))|7(?:0(?:5[4-9]|6[0146]|7[124-6]|9[135-8])|[168]\d\d|2(?:22|3[13-57-9]|4[1-3579]|5[14])|3(?:2\d|3[1578]|4[1-35-7]|5[1-57]|61)|4(?:2\d|3[1-579]|7[1-79])|5(?:22|5[1-9]|6[1457])|9(?:22|5[1-9])))\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:(?:[25]0|33|8[078]|9[0-57-9])\d{3}|6(?:1(?:2(?:2[01]|98)|35[0-4]|50\d|61[23]|7(?:[01][017]|4\d|55|9[5-9]))|2(?:(?:11|7\d)\d|2(?:[12]1|9[01379])|5(?:[126]\d|3[0-4]))|5(?:19[01]|2(?:27|9[26])|(?:30|59|7\d)\d)|6(?:2(?:1[5-9]|2[0367]|38|41|52|60)|(?:3[79]|9[0-3])\d|4(?:56|83)|7(?:[07]\d|1[017]|3[07]|4[047]|5[057]|67|8[0178]|9[79]))|7(?:2(?:24|3[237]|4[5-9]|7[15-8])|5(?:7[12]|8[0589])|7(?:0\d|[39][07])|9(?:0\d|7[079])))|7(?:[07]\d{3}|2(?:2(?:2[79]|95)|3(?:2[5-9]|6[0-6])|57\d|7(?:0\d|1[17]|2[27]|3[37]|44|5[057]|66|88))|3(?:2(?:1[0-6]|21|3[469]|7[159])|(?:33|9[4-6])\d|5(?:0[0-4]|5[579]|9\d)|7(?:[0-3579]\d|4[0467]|6[67]|8[078]))|4(?:2(?:29|5[0257]|6[0-7]|7[1-57])|5(?:1[0-4]|8\d|9[5-9])|7(?:0\d|1[024589]|2[0-27]|3[0137]|[46][07]|5[01]|7[5-9]|9[079])|9(?:7[015-9]|[89]\d))|5(?:112|2(?:0\d|2[29]|[49]4)|3[1568]\d|52[6-9]|7(?:0[01578]|1[017]|[23]7|4[047]|[5-7]\d|8[78]|9[079]))|9(?:22[128]|3(?:2[0-4]|7\d)|57[02569]|7(?:2[05-9]|3[37]|4\d|60|7[2579]|87|9[07]))))\d{4})'))))
        WHEN '967' THEN /* YE */ (regexp_matches(n, '^(?:(?:1|7\d)\d{7}|[1-7]\d{6})') AND ((length(n) IN (7, 8) AND regexp_matches(n, '^(?:78[0-7]\d{4}|17\d{6}|(?:[12][2-68]|3[2358]|4[2-58]|5[2-6]|6[3-58]|7[24-6])\d{5})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7[01378]\d{7})'))))
        WHEN '979' THEN /* 001 */ (regexp_matches(n, '^(?:[1359]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:[1359]\d{8})')))) ELSE false END
    WHEN '1' THEN CASE cc
        WHEN '1' THEN /* AG */ (regexp_matches(n, '^(?:(?:268|[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:26848[01]\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:26840[69]\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:268(?:4(?:6[0-38]|84)|56[0-2])\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:268(?:464|7(?:1[3-9]|[28]\d|3[0246]|64|7[0-689]))\d{4})')))) OR /* AI */ (regexp_matches(n, '^(?:(?:264|[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:264724\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:264(?:292|4(?:6[12]|9[78]))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:264(?:235|4(?:69|7[67])|5(?:3[6-9]|8[1-4])|7(?:29|72))\d{4})')))) OR /* AS */ (regexp_matches(n, '^(?:(?:[58]\d\d|684|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:684(?:274|6(?:22|33|44|55|77|88|9[19]))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:684(?:2(?:48|5[2468]|7[246])|7(?:3[13]|70|82))\d{4})')))) OR /* BB */ (regexp_matches(n, '^(?:(?:246|[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:(?:246976|900[2-9]\d\d)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:24631\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:246(?:292|367|4(?:1[7-9]|3[01]|4[47-9]|67)|7(?:1[2-9]|2\d|3[016]|53))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:246521[0369]\d{3}|246(?:2(?:2[78]|7[0-4])|4(?:1[024-6]|2\d|3[2-9])|5(?:20|[34]\d|54|7[1-3])|6(?:2\d|38)|7[35]7|9(?:1[89]|63))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:246(?:(?:2(?:[3568]\d|4[0-57-9])|3(?:5[2-9]|6[0-6])|4(?:46|5\d)|69[5-7]|8(?:[2-5]\d|83))\d|52(?:1[147]|20))\d{3})')))) OR /* BM */ (regexp_matches(n, '^(?:(?:441|[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:441(?:[46]\d\d|5(?:4\d|60|89))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:441(?:[2378]\d|5[0-39]|9[02])\d{5})')))) OR /* BS */ (regexp_matches(n, '^(?:(?:242|[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:242300\d{4}|8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:242225\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:242(?:3(?:02|[236][1-9]|4[0-24-9]|5[0-68]|7[347]|8[0-4]|9[2-467])|461|502|6(?:0[1-5]|12|2[013]|[45]0|7[67]|8[78]|9[89])|7(?:02|88))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:242(?:3(?:5[79]|7[56]|95)|4(?:[23][1-9]|4[1-35-9]|5[1-8]|6[2-8]|7\d|81)|5(?:2[45]|3[35]|44|5[1-46-9]|65|77)|6[34]6|7(?:27|38)|8(?:0[1-9]|1[02-9]|2\d|3[0-4]|[89]9))\d{4})')))) OR /* CA */ (regexp_matches(n, '^(?:[2-9]\d{9}|3\d{6})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:600[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|(?:5(?:2[125-9]|3[23]|44|66|77|88)|6(?:22|33))[2-9]\d{6})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:310\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:04|[23]6|[48]9|5[07]|63)|3(?:06|43|54|6[578]|82)|4(?:03|1[68]|[26]8|3[178]|50|74)|5(?:06|1[49]|48|79|8[147])|6(?:04|[18]3|39|47|72)|7(?:0[59]|42|53|78|8[02])|8(?:[06]7|19|25|7[39])|9(?:0[25]|42))[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:04|[23]6|[48]9|5[07]|63)|3(?:06|43|54|6[578]|82)|4(?:03|1[68]|[26]8|3[178]|50|74)|5(?:06|1[49]|48|79|8[147])|6(?:04|[18]3|39|47|72)|7(?:0[59]|42|53|78|8[02])|8(?:[06]7|19|25|7[39])|9(?:0[25]|42))[2-9]\d{6})')))) OR /* DM */ (regexp_matches(n, '^(?:(?:[58]\d\d|767|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:767(?:2(?:55|66)|4(?:2[01]|4[0-25-9])|50[0-4])\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:767(?:2(?:[2-4689]5|7[5-7])|31[5-7]|61[1-8]|70[1-6])\d{4})')))) OR /* DO */ (regexp_matches(n, '^(?:(?:[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:800(?:14|[2-9]\d)\d{5}|8[024]9[01]\d{6}|8(?:33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:[04]9[2-9]\d\d|29(?:2(?:[0-59]\d|6[04-9]|7[0-27]|8[0237-9])|3(?:[0-35-9]\d|4[7-9])|[45]\d\d|6(?:[0-27-9]\d|[3-5][1-9]|6[0135-8])|7(?:0[013-9]|[1-37]\d|4[1-35689]|5[1-4689]|6[1-57-9]|8[1-79]|9[1-8])|8(?:0[146-9]|1[0-48]|[248]\d|3[1-79]|5[01589]|6[013-68]|7[124-8]|9[0-8])|9(?:[0-24]\d|3[02-46-9]|5[0-79]|60|7[0169]|8[57-9]|9[02-9])))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8[024]9[2-9]\d{6})')))) OR /* GD */ (regexp_matches(n, '^(?:(?:473|[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:473(?:2(?:3[0-2]|69)|3(?:2[89]|86)|4(?:[06]8|3[5-9]|4[0-4]|5[59]|73|90)|63[68]|7(?:58|84)|800|938)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:473(?:4(?:0[2-79]|1[04-9]|2[0-5]|49|5[6-8])|5(?:2[01]|3[3-8])|901)\d{4})')))) OR /* GU */ (regexp_matches(n, '^(?:(?:[58]\d\d|671|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:671(?:2\d\d|3(?:00|3[39]|4[349]|55|6[26])|4(?:00|56|7[1-9]|8[02-9])|5(?:55|6[2-5]|88)|6(?:3[2-578]|4[24-9]|5[34]|78|8[235-9])|7(?:[0479]7|2[0167]|3[45]|8[7-9])|8(?:[2-57-9]8|6[478])|9(?:2[29]|6[79]|7[1279]|8[7-9]|9[16-9]))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:671(?:2\d\d|3(?:00|3[39]|4[349]|55|6[26])|4(?:00|56|7[1-9]|8[02-9])|5(?:55|6[2-5]|88)|6(?:3[2-578]|4[24-9]|5[34]|78|8[235-9])|7(?:[0479]7|2[0167]|3[45]|8[7-9])|8(?:[2-57-9]8|6[478])|9(?:2[29]|6[79]|7[1279]|8[7-9]|9[16-9]))\d{4})')))) OR /* JM */ (regexp_matches(n, '^(?:(?:[58]\d\d|658|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8766060\d{3}|(?:658(?:2(?:[5-8]\d|9[0-46-9])|[3-9]\d\d)|876(?:52[35]|6(?:0[1-3579]|1[0235-9]|[23]\d|40|5[06]|6[2-589]|7[0-25-9]|8[04]|9[4-9])|7(?:0[2-689]|[1-6]\d|8[056]|9[45])|9(?:0[1-8]|1[02378]|[2-8]\d|9[2-468])))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:6582(?:[0-4]\d|95)|876(?:2(?:0[1-9]|[13-9]\d|2[013-9])|[348]\d\d|5(?:0[1-9]|[1-9]\d)|6(?:4[89]|6[67])|7(?:0[07]|7\d|8[1-47-9]|9[0-36-9])|9(?:[01]9|9[0579])))\d{4})')))) OR /* KN */ (regexp_matches(n, '^(?:(?:[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:869(?:2(?:29|36)|302|4(?:6[015-9]|70)|56[5-7])\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:869(?:48[89]|55[6-8]|66\d|76[02-7])\d{4})')))) OR /* KY */ (regexp_matches(n, '^(?:(?:345|[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:(?:345976|900[2-9]\d\d)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:345(?:2(?:22|3[23]|44|66)|333|444|6(?:23|38|40)|7(?:30|4[35-79]|6[6-9]|77)|8(?:00|1[45]|4[89]|88)|9(?:14|4[035-9]))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:345(?:32[1-9]|4(?:1[2-6]|2[0-4])|5(?:1[67]|2[5-79]|4[6-9]|50|76)|649|82[56]|9(?:1[679]|2[2-9]|3[06-9]|90))\d{4})')))) OR /* LC */ (regexp_matches(n, '^(?:(?:[58]\d\d|758|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:758(?:234|4(?:30|5\d|6[2-9]|8[0-2])|57[0-2]|(?:63|75)8)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:758(?:28[4-7]|384|4(?:6[01]|8[4-9])|5(?:1[89]|20|84)|7(?:1[2-9]|2\d|3[0-3])|812)\d{4})')))) OR /* MP */ (regexp_matches(n, '^(?:[58]\d{9}|(?:67|90)0\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:670(?:2(?:3[3-7]|56|8[4-8])|32[1-38]|4(?:33|8[348])|5(?:32|55|88)|6(?:64|70|82)|78[3589]|8[3-9]8|989)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:670(?:2(?:3[3-7]|56|8[4-8])|32[1-38]|4(?:33|8[348])|5(?:32|55|88)|6(?:64|70|82)|78[3589]|8[3-9]8|989)\d{4})')))) OR /* MS */ (regexp_matches(n, '^(?:(?:[58]\d\d|664|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:6644(?:1[0-3]|91)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:664(?:3(?:49|9[1-6])|49[2-6])\d{4})')))) OR /* PR */ (regexp_matches(n, '^(?:(?:[589]\d\d|787)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:787|939)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:787|939)[2-9]\d{6})')))) OR /* SX */ (regexp_matches(n, '^(?:7215\d{6}|(?:[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7215(?:4[2-8]|8[39]|9[056])\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7215(?:1[02]|2\d|5[034679]|8[0-24-8])\d{4})')))) OR /* TC */ (regexp_matches(n, '^(?:(?:[58]\d\d|649|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:649(?:71[01]|966)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:649(?:266|712|9(?:4\d|50))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:649(?:2(?:3[129]|4[1-79])|3\d\d|4[34][1-3])\d{4})')))) OR /* TT */ (regexp_matches(n, '^(?:(?:[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:868800\d{4}|8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:868619\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:868(?:2(?:01|1[5-9]|[23]\d|4[0-2])|6(?:0[7-9]|1[02-8]|2[1-9]|[3-69]\d|7[0-79])|82[124])\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:868(?:(?:2[5-9]|3\d)\d|4(?:3[0-6]|[6-9]\d)|6(?:20|78|8\d)|7(?:0[1-9]|1[02-9]|[2-9]\d))\d{4})')))) OR /* US */ (regexp_matches(n, '^(?:[2-9]\d{9}|3\d{6})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:274[27]|(?:472|983)[2-47-9])\d{6}|(?:2(?:0[1-35-9]|1[02-9]|2[03-57-9]|3[1459]|4[08]|5[1-46]|6[0279]|7[0269]|8[13])|3(?:0[1-57-9]|1[02-9]|2[013-79]|3[0-24679]|4[167]|5[0-3]|6[01349]|8[056])|4(?:0[124-9]|1[02-579]|2[3-5]|3[0245]|4[023578]|58|6[349]|7[0589]|8[04])|5(?:0[1-57-9]|1[0235-8]|20|3[0149]|4[01]|5[179]|6[1-47]|7[0-5]|8[0256])|6(?:0[1-35-9]|1[024-9]|2[03689]|3[016]|4[0156]|5[01679]|6[0-279]|78|8[0-269])|7(?:0[1-46-8]|1[2-9]|2[04-8]|3[0-2478]|4[0378]|5[47]|6[02359]|7[0-59]|8[156])|8(?:0[1-68]|1[02-8]|2[0168]|3[0-2589]|4[03578]|5[046-9]|6[02-5]|7[028])|9(?:0[1346-9]|1[02-9]|2[0589]|3[0146-8]|4[01357-9]|5[12469]|7[0-3589]|8[04-69]))[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:274[27]|(?:472|983)[2-47-9])\d{6}|(?:2(?:0[1-35-9]|1[02-9]|2[03-57-9]|3[1459]|4[08]|5[1-46]|6[0279]|7[0269]|8[13])|3(?:0[1-57-9]|1[02-9]|2[013-79]|3[0-24679]|4[167]|5[0-3]|6[01349]|8[056])|4(?:0[124-9]|1[02-579]|2[3-5]|3[0245]|4[023578]|58|6[349]|7[0589]|8[04])|5(?:0[1-57-9]|1[0235-8]|20|3[0149]|4[01]|5[179]|6[1-47]|7[0-5]|8[0256])|6(?:0[1-35-9]|1[024-9]|2[03689]|3[016]|4[0156]|5[01679]|6[0-279]|78|8[0-269])|7(?:0[1-46-8]|1[2-9]|2[04-8]|3[0-2478]|4[0378]|5[47]|6[02359]|7[0-59]|8[156])|8(?:0[1-68]|1[02-8]|2[0168]|3[0-2589]|4[03578]|5[046-9]|6[02-5]|7[028])|9(?:0[1346-9]|1[02-9]|2[0589]|3[0146-8]|4[01357-9]|5[12469]|7[0-3589]|8[04-69]))[2-9]\d{6})')))) OR /* VC */ (regexp_matches(n, '^(?:(?:[58]\d\d|784|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:78451[0-2]\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:784(?:266|3(?:6[6-9]|7\d|8[0-6])|4(?:38|5[0-36-8]|8[0-8])|5(?:55|7[0-2]|93)|638|784)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:784(?:4(?:3[0-5]|5[45]|89|9[0-8])|5(?:2[6-9]|3[0-4])|720)\d{4})')))) OR /* VG */ (regexp_matches(n, '^(?:(?:284|[58]\d\d|900)\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:284(?:229|4(?:22|9[45])|774|8(?:52|6[459]))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:284(?:245|3(?:0[0-3]|4[0-7]|68|9[34])|4(?:4[0-6]|68|9[69])|5(?:4[0-7]|68|9[69]))\d{4})')))) OR /* VI */ (regexp_matches(n, '^(?:[58]\d{9}|(?:34|90)0\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:340(?:2(?:0\d|10|2[06-8]|4[49]|77)|3(?:32|44)|4(?:2[23]|44|7[34]|89)|5(?:1[34]|55)|6(?:2[56]|4[23]|77|9[023])|7(?:1[2-57-9]|2[57]|7\d)|884|998)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:340(?:2(?:0\d|10|2[06-8]|4[49]|77)|3(?:32|44)|4(?:2[23]|44|7[34]|89)|5(?:1[34]|55)|6(?:2[56]|4[23]|77|9[023])|7(?:1[2-57-9]|2[57]|7\d)|884|998)\d{4})')))) ELSE false END
    WHEN '5' THEN CASE cc
        WHEN '54' THEN /* AR */ (regexp_matches(n, '^(?:(?:11|[89]\d\d)\d{8}|[2368]\d{9})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:60[04579]\d{7})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:800\d{7,8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:810\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:3(?:7(?:1[15]|81)|8(?:21|4[16]|69|9[12]))[46]\d{5}|(?:2(?:2(?:2[59]|44|52)|3(?:26|44)|47[35]|9(?:[07]2|2[26]|34|46))|3327)[45]\d{5}|(?:2(?:657|9(?:54|66))|3(?:48[27]|7(?:55|77)|8(?:65|78)))[2-8]\d{5}|(?:2(?:284|3(?:02|23)|477|622|920)|3(?:4(?:46|89|92)|541))[2-7]\d{5}|(?:(?:11[1-8]|670)\d|2(?:2(?:0[45]|1[2-6]|3[3-6])|3(?:[06]4|7[45])|494|6(?:04|1[2-8]|[36][45]|4[3-6])|80[45]|9(?:[17][4-6]|[48][45]|9[3-6]))|3(?:364|4(?:1[2-8]|[25][4-6]|3[3-6]|84)|5(?:1[2-9]|[38][4-6])|6(?:2[45]|44)|7[069][45]|8(?:0[45]|1[2-7]|3[4-6]|5[3-6]|7[2-6]|8[3-68])))\d{6}|(?:2(?:2(?:62|81)|320|9(?:42|83))|3(?:329|4(?:62|7[16])|5(?:43|64)|7(?:18|5[17])))[2-6]\d{5}|2(?:2(?:21|4[23]|6[145]|7[1-4]|8[356]|9[267])|3(?:16|3[13-8]|43|5[346-8]|9[3-5])|6(?:2[46]|4[78]|5[1568])|9(?:03|2[1457-9]|3[1356]|4[08]|[56][23]|82))4\d{5}|(?:2(?:257|3(?:24|46|92)|9(?:01|23|64))|3(?:4(?:42|64)|5(?:25|37|4[47]|71)|7(?:35|72)|825))[3-6]\d{5}|(?:2(?:2(?:02|2[3467]|4[156]|5[45]|6[6-8]|91)|3(?:1[47]|25|[45][25]|96)|47[48]|625|932)|3(?:38[2578]|4(?:0[0-24-9]|3[78]|4[457]|58|6[035-9]|72|83|9[136-8])|5(?:2[124]|[368][23]|4[2689]|7[2-6])|7(?:16|2[15]|3[14]|4[13]|5[468]|7[3-5]|8[26])|8(?:2[67]|3[278]|4[3-5]|5[78]|6[1-378]|[78]7|94)))[4-6]\d{5})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:93(?:7(?:1[15]|81)|8(?:21|4[16]|69|9[12]))[46]\d{5}|9(?:2(?:2(?:2[59]|44|52)|3(?:26|44)|47[35]|9(?:[07]2|2[26]|34|46))|3327)[45]\d{5}|9(?:2(?:657|9(?:54|66))|3(?:48[27]|7(?:55|77)|8(?:65|78)))[2-8]\d{5}|9(?:2(?:284|3(?:02|23)|477|622|920)|3(?:4(?:46|89|92)|541))[2-7]\d{5}|(?:675\d|9(?:11[1-8]\d|2(?:2(?:0[45]|1[2-6]|3[3-6])|3(?:[06]4|7[45])|494|6(?:04|1[2-8]|[36][45]|4[3-6])|80[45]|9(?:[17][4-6]|[48][45]|9[3-6]))|3(?:364|4(?:1[2-8]|[25][4-6]|3[3-6]|84)|5(?:1[2-9]|[38][4-6])|6(?:2[45]|44)|7[069][45]|8(?:0[45]|1[2-7]|3[4-6]|5[3-6]|7[2-6]|8[3-68]))))\d{6}|9(?:2(?:2(?:62|81)|320|9(?:42|83))|3(?:329|4(?:62|7[16])|5(?:43|64)|7(?:18|5[17])))[2-6]\d{5}|92(?:2(?:21|4[23]|6[145]|7[1-4]|8[356]|9[267])|3(?:16|3[13-8]|43|5[346-8]|9[3-5])|6(?:2[46]|4[78]|5[1568])|9(?:03|2[1457-9]|3[1356]|4[08]|[56][23]|82))4\d{5}|9(?:2(?:257|3(?:24|46|92)|9(?:01|23|64))|3(?:4(?:42|64)|5(?:25|37|4[47]|71)|7(?:35|72)|825))[3-6]\d{5}|9(?:2(?:2(?:02|2[3467]|4[156]|5[45]|6[6-8]|91)|3(?:1[47]|25|[45][25]|96)|47[48]|625|932)|3(?:38[2578]|4(?:0[0-24-9]|3[78]|4[457]|58|6[035-9]|72|83|9[136-8])|5(?:2[124]|[368][23]|4[2689]|7[2-6])|7(?:16|2[15]|3[14]|4[13]|5[468]|7[3-5]|8[26])|8(?:2[67]|3[278]|4[3-5]|5[78]|6[1-378]|[78]7|94)))[4-6]\d{5})'))))
        WHEN '590' THEN /* BL */ (regexp_matches(n, '^(?:7090\d{5}|(?:[56]9|[89]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:8[129]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:(?:39[5-7]|76[018])\d|475[0-6])\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:59(?:0(?:2[7-9]|3[3-7]|5[12]|87)|87\d)|80[6-9]\d\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:69(?:0\d\d|1(?:2[2-9]|3[0-5]))|7090[0-4])\d{4})')))) OR /* GP */ (regexp_matches(n, '^(?:7090\d{5}|(?:[56]9|[89]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:8[129]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:(?:39[5-7]|76[018])\d|475[0-6])\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:59(?:0(?:0[1-68]|[14][0-24-9]|2[0-68]|3[1-9]|5[3-579]|[68][0-689]|7[08]|9\d)|87\d)|80[6-9]\d\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:69(?:0\d\d|1(?:2[2-9]|3[0-5]))|7090[0-4])\d{4})')))) OR /* MF */ (regexp_matches(n, '^(?:7090\d{5}|(?:[56]9|[89]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:8[129]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:(?:39[5-7]|76[018])\d|475[0-6])\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:59(?:0(?:0[079]|[14]3|[27][79]|3[03-7]|5[0-268]|87)|87\d)|80[6-9]\d\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:69(?:0\d\d|1(?:2[2-9]|3[0-5]))|7090[0-4])\d{4})'))))
        WHEN '591' THEN /* BO */ (regexp_matches(n, '^(?:(?:[2-7]\d\d|8001)\d{5})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:8001[07]\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:50\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:2(?:2\d\d|5(?:11|[258]\d|9[67])|6(?:12|2\d|9[34])|8(?:2[34]|39|62))|3(?:3\d\d|4(?:6\d|8[24])|8(?:25|42|5[257]|86|9[25])|9(?:[27]\d|3[2-4]|4[248]|5[24]|6[2-6]))|4(?:4\d\d|6(?:11|[24689]\d|72)))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:57|[67]\d)\d{6})'))))
        WHEN '599' THEN /* BQ */ (regexp_matches(n, '^(?:(?:[34]1|7\d)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:(?:318[023]|41(?:6[023]|70)|7(?:1[578]|2[05]|50)\d)\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:31(?:8[14-8]|9[14578])|416[14-9]|7(?:0[01]|7[07]|8\d|9[056])\d)\d{3})')))) OR /* CW */ (regexp_matches(n, '^(?:(?:[34]1|60|(?:7|9\d)\d)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:60[0-2]\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:955\d{5})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:9(?:4(?:3[0-5]|4[14]|6\d)|50\d|7(?:2[014]|3[02-9]|4[4-9]|6[357]|77|8[7-9])|8(?:3[39]|[46]\d|7[01]|8[57-9]))\d{4})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:953[01]\d{4}|9(?:5[12467]|6[5-9])\d{5})'))))
        WHEN '55' THEN /* BR */ (regexp_matches(n, '^(?:[1-467]\d{9,10}|55[0-46-9]\d{8}|[34]\d{7}|55\d{7,8}|(?:5[0-46-9]|[89]\d)\d{7,9})') AND ((length(n) IN (9, 10) AND regexp_matches(n, '^(?:[59]00\d{6,7})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:800\d{6,7})')) OR (length(n) IN (8, 10) AND regexp_matches(n, '^(?:(?:30[03]\d{3}|4(?:0(?:0\d|20)|370|864))\d{4}|300\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])[2-5]\d{7})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])(?:7|9\d)\d{7})'))))
        WHEN '501' THEN /* BZ */ (regexp_matches(n, '^(?:(?:0800\d|[2-8])\d{6})') AND ((length(n) IN (11) AND regexp_matches(n, '^(?:0800\d{7})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:2(?:[02]\d|36|[68]0)|[3-58](?:[02]\d|[68]0)|7(?:[02]\d|32|[68]0))\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:6[0-35-7]\d{5})'))))
        WHEN '56' THEN /* CL */ (regexp_matches(n, '^(?:12300\d{6}|6\d{9,10}|[2-9]\d{8})') AND ((length(n) IN (9, 11) AND regexp_matches(n, '^(?:(?:123|8)00\d{6})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:600\d{7,8})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:44\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:2(?:1982[0-6]|3314[05-9])\d{3}|(?:2(?:1(?:160|962)|3(?:(?:[24]\d|50)\d|3(?:[034679]\d|1[0-35-9]|2[1-9]|5[0-24-9]|8[0-389])|600)|646[59])|(?:600|80[1-9])\d\d|9(?:(?:10[0-2]|7[1-9]\d)\d|3(?:[0-57-9]\d\d|6(?:0[02-9]|[1-9]\d))|6(?:[0-8]\d\d|9(?:[02-79]\d|1[05-9]))|9(?:[03-9]\d\d|1(?:[0235-9]\d|4[0-24-9])|2(?:[0-79]\d|8[0-46-9]))))\d{4}|(?:22|3[2-5]|[47][1-35]|5[1-3578]|6[13-57]|8[1-9]|9[2458])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:2(?:1982[0-6]|3314[05-9])\d{3}|(?:2(?:1(?:160|962)|3(?:(?:[24]\d|50)\d|3(?:[034679]\d|1[0-35-9]|2[1-9]|5[0-24-9]|8[0-389])|600)|646[59])|80[1-8]\d\d|9(?:(?:10[0-2]|7[1-9]\d)\d|3(?:[0-57-9]\d\d|6(?:0[02-9]|[1-9]\d))|6(?:[0-8]\d\d|9(?:[02-79]\d|1[05-9]))|9(?:[03-9]\d\d|1(?:[0235-9]\d|4[0-24-9])|2(?:[0-79]\d|8[0-46-9]))))\d{4}|(?:22|3[2-5]|[47][1-35]|5[1-3578]|6[13-57]|8[1-9]|9[2458])\d{7})'))))
        WHEN '57' THEN /* CO */ (regexp_matches(n, '^(?:(?:46|60\d\d)\d{6}|(?:1\d|[39])\d{9})') AND ((length(n) IN (10, 11) AND regexp_matches(n, '^(?:(?:19(?:0[01]|4[78])|901)\d{7})')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:1800\d{7})')) OR (length(n) IN (8, 10) AND regexp_matches(n, '^(?:601055(?:[0-4]\d|50)\d\d|6010(?:[0-4]\d|5[0-4])\d{4}|(?:46|60(?:[18][1-9]|[24-7][2-9]))\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:333301[0-5]\d{3}|3333(?:00|2[5-9]|[3-9]\d)\d{4}|(?:3(?:(?:0[0-5]|1\d|5[01]|70)\d|2(?:[0-3]\d|4[1-9])|3(?:00|3[0-24-9]))|9(?:101|408))\d{6})'))))
        WHEN '506' THEN /* CR */ (regexp_matches(n, '^(?:(?:8\d|90)\d{8}|(?:[24-8]\d{3}|3005)\d{4})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:90[059]\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:800\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:210[0-6]|4\d{3}|5100)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:210[7-9]\d{4}|2(?:[024-7]\d|1[1-9])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:3005\d|6500[01])\d{3}|(?:5[07]|6[0-4]|7[0-3]|8[3-9])\d{6})'))))
        WHEN '53' THEN /* CU */ (regexp_matches(n, '^(?:(?:[2-7]|8\d\d)\d{7}|[2-47]\d{6}|[34]\d{5})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:800\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:807\d{7})')) OR (length(n) IN (6, 7, 8, 10) AND regexp_matches(n, '^(?:(?:3[23]|4[89])\d{4,6}|(?:31|4[36]|8(?:0[25]|78)\d)\d{6}|(?:2[1-4]|4[1257]|7\d)\d{5,6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:5\d|6[2-4])\d{6})'))))
        WHEN '593' THEN /* EC */ (regexp_matches(n, '^(?:1\d{9,10}|(?:[2-7]|9\d)\d{7})') AND ((length(n) IN (10, 11) AND regexp_matches(n, '^(?:1800\d{7}|1[78]00\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[2-7]890\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[2-7][2-7]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:964[0-2]\d{5}|9(?:39|[57][89]|6[0-36-9]|[89]\d)\d{6})'))))
        WHEN '500' THEN /* FK */ (regexp_matches(n, '^(?:[2-7]\d{4})') AND ((length(n) IN (5) AND regexp_matches(n, '^(?:[2-47]\d{4})')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:[56]\d{4})'))))
        WHEN '594' THEN /* GF */ (regexp_matches(n, '^(?:(?:694\d|7093)\d{5}|(?:59|[89]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:8[129]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:(?:396|76\d)\d|476[0-6])\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:59(?:4(?:[02-49]\d|1[0-5]|5[6-9]|6[0-3]|80)|88\d)|80[6-9]\d\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:694(?:[0-249]\d|3[0-8])|7093[0-3])\d{4})'))))
        WHEN '502' THEN /* GT */ (regexp_matches(n, '^(?:80\d{6}|(?:1\d{3}|[2-7])\d{7})') AND ((length(n) IN (11) AND regexp_matches(n, '^(?:19\d{9})')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:18[01]\d{8})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[267][2-9]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:[3-5]\d\d|80[0-4])\d{5})'))))
        WHEN '592' THEN /* GY */ (regexp_matches(n, '^(?:(?:[2-8]\d{3}|9008)\d{3})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:9008\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:289|8(?:00|6[28]|88|99))\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:515\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:2(?:1[6-9]|2[0-35-9]|3[1-4]|5[3-9]|6\d|7[0-79])|3(?:2[25-9]|3\d)|4(?:4[0-24]|5[56])|50[0-6]|77[1-57])\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:51[01]|6\d\d|7(?:[0-5]\d|6[0-79]|70))\d{4})'))))
        WHEN '504' THEN /* HN */ (regexp_matches(n, '^(?:8\d{10}|[237-9]\d{7})') AND ((length(n) IN (11) AND regexp_matches(n, '^(?:8002\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2(?:2(?:0[0-59]|1[1-9]|[23]\d|4[02-7]|5[57]|6[245]|7[0135689]|8[01346-9]|9[0-2])|4(?:0[578]|2[3-59]|3[13-9]|4[0-68]|5[1-3589])|5(?:0[2357-9]|1[1-356]|4[03-5]|5\d|6[014-69]|7[04]|80)|6(?:[056]\d|17|2[067]|3[047]|4[0-378]|[78][0-8]|9[01])|7(?:0[5-79]|6[46-9]|7[02-9]|8[034]|91)|8(?:79|8[0-357-9]|9[1-57-9]))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[37-9]\d{7})'))))
        WHEN '509' THEN /* HT */ (regexp_matches(n, '^(?:[2-589]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:8\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:9(?:[67][0-4]|8[0-3589]|9\d)\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2(?:2\d|5[1-5]|81|9[149])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:[34]\d|5[568])\d{6})'))))
        WHEN '596' THEN /* MQ */ (regexp_matches(n, '^(?:7091\d{5}|(?:[56]9|[89]\d)\d{7})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:8[129]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:397[0-3]|477[0-5]|76(?:6\d|7[0-367]))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:59(?:6(?:[03-7]\d|1[05]|2[7-9]|8[0-39]|9[04-9])|89\d)|80[6-9]\d\d|9(?:477[6-9]|767[4589]))\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:69[67]\d\d|7091[0-3])\d{4})'))))
        WHEN '52' THEN /* MX */ (regexp_matches(n, '^(?:[2-9]\d{9})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|88)\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:300\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:500\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:0[01]|2\d|3[1-35-8]|4[13-9]|7[1-689]|8[1-578]|9[467])|3(?:1[1-79]|[2458][1-9]|3\d|7[1-8]|9[1-5])|4(?:1[1-57-9]|[267][1-9]|3[1-8]|[45]\d|8[1-35-9]|9[2-689])|5(?:[56]\d|88|9[1-79])|6(?:1[2-68]|[2-4][1-9]|5[1-36-9]|6[0-57-9]|7[1-7]|8[67]|9[4-8])|7(?:[1346][1-9]|[27]\d|5[13-9]|8[1-69]|9[17])|8(?:1\d|2[13-689]|3[1-6]|4[124-6]|6[1246-9]|7[0-378]|9[12479])|9(?:1[346-9]|2[1-4]|3[2-46-8]|5[1348]|[69]\d|7[12]|8[1-8]))\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:2\d|3[1-35-8]|4[13-9]|7[1-689]|8[1-578]|9[467])|3(?:1[1-79]|[2458][1-9]|3\d|7[1-8]|9[1-5])|4(?:1[1-57-9]|[267][1-9]|3[1-8]|[45]\d|8[1-35-9]|9[2-689])|5(?:[56]\d|88|9[1-79])|6(?:1[2-68]|[2-4][1-9]|5[1-36-9]|6[0-57-9]|7[1-7]|8[67]|9[4-8])|7(?:[1346][1-9]|[27]\d|5[13-9]|8[1-69]|9[17])|8(?:1\d|2[13-689]|3[1-6]|4[124-6]|6[1246-9]|7[0-378]|9[12479])|9(?:1[346-9]|2[1-4]|3[2-46-8]|5[1348]|[69]\d|7[12]|8[1-8]))\d{7})'))))
        WHEN '505' THEN /* NI */ (regexp_matches(n, '^(?:(?:1800|[25-8]\d{3})\d{4})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:1800\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:5(?:5[0-7]|[78]\d)|6(?:20|3[035]|4[045]|5[05]|77|8[1-9]|9[059])|(?:7[5-8]|8\d)\d)\d{5})'))))
        WHEN '507' THEN /* PA */ (regexp_matches(n, '^(?:(?:00800|8\d{3})\d{6}|[68]\d{7}|[1-57-9]\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:(?:8(?:22|55|60|7[78]|86)|9(?:00|81))\d{4})')) OR (length(n) IN (7, 8, 10, 11) AND regexp_matches(n, '^(?:800\d{4,5}|(?:00800|800\d)\d{6})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:1(?:0\d|1[0479]|2[37]|3[0137]|4[147]|5[05]|6[058]|7[0167]|8[2358]|9[1389])|2(?:[0235-79]\d|1[0-7]|4[013-9]|8[02-9])|3(?:[0147-9]\d|[25][0-5]|33|6[068])|4(?:00|3[0-579]|4\d|7[0-57-9])|5(?:[01]\d|2[0-7]|[56]0|79)|7(?:0[09]|2[0-26-8]|3[03]|4[04]|5[05-9]|6[0156]|7[0-24-9]|8[4-9]|90)|8(?:09|2[89]|3\d|4[0-24-689]|5[014]|8[02])|9(?:0[5-9]|1[0135-8]|2[036-9]|3[35-79]|40|5[0457-9]|6[05-9]|7[04-9]|8[35-8]|9\d))\d{4})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:(?:1[16]1|21[89]|6\d{3}|8(?:1[01]|7[23]))\d{4})'))))
        WHEN '51' THEN /* PE */ (regexp_matches(n, '^(?:(?:[14-8]|9\d)\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:805\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:800\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:801\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[24]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:(?:(?:4[34]|5[14])[0-8]|687)\d|7(?:173|(?:3[0-8]|55)\d)|8(?:10[05689]|6(?:0[06-9]|1[6-9]|29)|7(?:0[0569]|[56]0)))\d{4}|(?:1[0-8]|4[12]|5[236]|6[1-7]|7[246]|8[2-4])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9\d{8})'))))
        WHEN '508' THEN /* PM */ (regexp_matches(n, '^(?:[78]\d{8}|[2-9]\d{5})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:8[129]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:80[6-9]\d{6}|(?:[236-9]\d|4[1-35-9]|5[0-47-9])\d{4})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:708(?:4[0-5]|5[0-6])\d{4}|(?:[236-9]\d|4[02-489]|5[02-9])\d{4})'))))
        WHEN '595' THEN /* PY */ (regexp_matches(n, '^(?:[36-8]\d{5,8}|4\d{6,8}|59\d{6}|9\d{5,10}|(?:2\d|5[0-8])\d{6,7})') AND ((length(n) IN (9, 10, 11) AND regexp_matches(n, '^(?:9800\d{5,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8700[0-4]\d{4})')) OR (length(n) IN (6, 7, 8, 9) AND regexp_matches(n, '^(?:[245]0\d{6,7}|[36-9]0\d{4,7})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:(?:3[289]|4[246-8]|61|7[1-3]|8[1-36])\d{5,7}|(?:2(?:[14-68]\d|2[4-68]|7[15]|9[1-5])|3(?:18|3[167]|4[2357]|51|[67]\d)|4(?:1\d|3[12]|5[13]|9[1-47])|5(?:[1-4]\d|5[02-4])|6(?:3[1-3]|44|7[1-8])|7(?:4[0-4]|5\d|6[1-578]|75|8[0-8])|858)\d{5,6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:51|6[129]|7[1-6]|8[1-7]|9[1-5])\d{6})'))))
        WHEN '597' THEN /* SR */ (regexp_matches(n, '^(?:(?:[2-5]|[6-9]\d)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:90\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:80\d{5})')) OR (length(n) IN (6, 7) AND regexp_matches(n, '^(?:(?:56|91\d)\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:2[1-3]|3[0-7]|4\d|5[2-578])\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:6[08]|7[124-7]|8[1-9])\d{5})'))))
        WHEN '503' THEN /* SV */ (regexp_matches(n, '^(?:[25-7]\d{7}|(?:80\d|900)\d{4}(?:\d{4})?)') AND ((length(n) IN (7, 11) AND regexp_matches(n, '^(?:900\d{4}(?:\d{4})?)')) OR (length(n) IN (7, 11) AND regexp_matches(n, '^(?:800\d{8}|80[01]\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:2(?:79(?:0[0347-9]|[1-9]\d)|89(?:0[024589]|[1-9]\d))\d{3}|2(?:[1-69]\d|[78][0-8])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[5-7]\d{7})'))))
        WHEN '598' THEN /* UY */ (regexp_matches(n, '^(?:0004\d{2,9}|[1249]\d{7}|2\d{3,4}|(?:[49]\d|80)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:90[0-8]\d{4})')) OR (length(n) IN (6, 7, 8, 9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:0004\d{2,9}|(?:405|80[05])\d{4})')) OR (length(n) IN (4, 5) AND regexp_matches(n, '^(?:21\d{2,3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:1(?:770|9(?:20|[89]7))|(?:2\d|4[2-7])\d\d)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:9[1-9]\d{6})'))))
        WHEN '58' THEN /* VE */ (regexp_matches(n, '^(?:[68]00\d{7}|(?:[24]\d|[59]0)\d{8})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:90[01]\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:800\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:501\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:12|3[457-9]|[467]\d|[58][1-9]|9[1-6])|[4-6]00)\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:4(?:1[24-8]|2[246])\d{7})')))) ELSE false END
    WHEN '4' THEN CASE cc
        WHEN '43' THEN /* AT */ (regexp_matches(n, '^(?:1\d{3,12}|2\d{6,12}|43(?:(?:0\d|5[02-9])\d{3,9}|2\d{4,5}|[3467]\d{4}|8\d{4,6}|9\d{4,7})|5\d{4,12}|8\d{7,12}|9\d{8,12}|(?:[367]\d|4[0-24-9])\d{4,11})') AND ((length(n) IN (9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:(?:8[69][2-68]|9(?:0[01]|3[019]))\d{6,10})')) OR (length(n) IN (9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:800\d{6,10})')) OR (length(n) IN (8, 9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:8(?:10|2[018])\d{6,10}|828\d{5})')) OR (length(n) IN (5, 6, 7, 8, 9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:5(?:0[1-9]|17|[79]\d)\d{2,10}|7[28]0\d{6,10})')) OR (length(n) IN (4, 5, 6, 7, 8, 9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:1(?:11\d|[2-9]\d{3,11})|(?:316|463)\d{3,10}|648[34]\d{3,9}|(?:51|66|73)2\d{3,10}|(?:2(?:1[467]|2[13-8]|5[2357]|6[1-46-8]|7[1-8]|8[124-7]|9[1458])|3(?:1[1-578]|3[23568]|4[5-7]|5[1378]|6[1-38]|8[3-68])|4(?:2[1-8]|35|7[1368]|8[2457])|5(?:2[1-8]|3[357]|4[147]|5[12578]|6[37])|6(?:13|2[1-47]|4[135-7]|5[468])|7(?:2[1-8]|35|4[13478]|5[68]|6[16-8]|7[1-6]|9[45]))\d{4,10})')) OR (length(n) IN (7, 8, 9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:6(?:485|(?:5[0-3579]|6[013-9]|[7-9]\d)\d)\d{3,9})'))))
        WHEN '41' THEN /* CH */ (regexp_matches(n, '^(?:8\d{11}|[2-9]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:90[016]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:84[0248]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:878\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:74[0248]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:5[18]\d{7})')) OR (length(n) IN (12) AND regexp_matches(n, '^(?:860\d{9})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:2[12467]|3[1-4]|4[134]|5[256]|6[12]|[7-9]1)\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:6[89]|7[235-9])\d{7})'))))
        WHEN '420' THEN /* CZ */ (regexp_matches(n, '^(?:(?:[2-578]\d|60)\d{7}|9\d{8,11})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:9(?:0[05689]|76)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8[134]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9[17]0\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:70[01]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9(?:5\d|7[2-4])\d{6})')) OR (length(n) IN (9, 10, 11, 12) AND regexp_matches(n, '^(?:9(?:3\d{9}|6\d{7,10}))')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:2\d|3[1257-9]|4[16-9]|5[13-9])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7060\d{5}|(?:60[1-8]|7(?:0[2-5]|19|[2379]\d))\d{6})'))))
        WHEN '49' THEN /* DE */ (regexp_matches(n, '^(?:[2579]\d{5,14}|49(?:[34]0|69|8\d)\d\d?|49(?:37|49|60|7[089]|9\d)\d{1,3}|49(?:2[024-9]|3[2-689]|7[1-7])\d{1,8}|(?:1|[368]\d|4[0-8])\d{3,13}|49(?:[015]\d|2[13]|31|[46][1-8])\d{1,9})') AND ((length(n) IN (10, 11) AND regexp_matches(n, '^(?:(?:137[7-9]|900(?:[135]|9\d))\d{6})')) OR (length(n) IN (10, 11, 12, 13, 14, 15) AND regexp_matches(n, '^(?:800\d{7,12})')) OR (length(n) IN (7, 8, 9, 10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:180\d{5,11}|13(?:7[1-6]\d\d|8)\d{4})')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:700\d{8})')) OR (length(n) IN (4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:16(?:4\d{1,10}|[89]\d{1,11}))')) OR (length(n) IN (8, 9, 10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:18(?:1\d{5,11}|[2-9]\d{8}))')) OR (length(n) IN (12, 13) AND regexp_matches(n, '^(?:1(?:6(?:013|255|399)|7(?:(?:[015]1|[69]3)3|[2-4]55|[78]99))\d{7,8}|15(?:(?:[03-68]00|113)\d|2\d55|7\d99|9\d33)\d{7})')) OR (length(n) IN (5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) AND regexp_matches(n, '^(?:32\d{9,11}|49[1-6]\d{10}|322\d{6}|49[0-7]\d{3,9}|(?:[34]0|[68]9)\d{3,13}|(?:2(?:0[1-689]|[1-3569]\d|4[0-8]|7[1-7]|8[0-7])|3(?:[3569]\d|4[0-79]|7[1-7]|8[1-8])|4(?:1[02-9]|[2-48]\d|5[0-6]|6[0-8]|7[0-79])|5(?:0[2-8]|[124-6]\d|[38][0-8]|[79][0-7])|6(?:0[02-9]|[1-358]\d|[47][0-8]|6[1-9])|7(?:0[2-8]|1[1-9]|[27][0-7]|3\d|[4-6][0-8]|8[0-5]|9[013-7])|8(?:0[2-9]|1[0-79]|2\d|3[0-46-9]|4[0-6]|5[013-9]|6[1-8]|7[0-8]|8[0-24-6])|9(?:0[6-9]|[1-4]\d|[589][0-7]|6[0-8]|7[0-467]))\d{3,12})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:1(?:6[023]|7\d)\d{7,8}|15(?:[0-25-9]\d\d|3(?:10|33))\d{6})'))))
        WHEN '45' THEN /* DK */ (regexp_matches(n, '^(?:[2-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:90\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:2(?:[0-59][1-9]|[6-8]\d)|3(?:[0-3][1-9]|4[13]|5[1-58]|6[1347-9]|7\d|8[1-8]|9[1-79])|4(?:[0-25][1-9]|[34][2-9]|6[13-579]|7[13579]|8[1-47]|9[127])|5(?:[0-36][1-9]|4[146-9]|5[3-57-9]|7[568]|8[1-358]|9[1-69])|6(?:[0135][1-9]|2[1-68]|4[2-8]|6[1689]|[78]\d|9[15689])|7(?:[0-69][1-9]|7[3-9]|8[147])|8(?:[16-9][1-9]|2[1-58])|9(?:[1-47-9][1-9]|6\d))\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:2[6-8]|37|6[78]|96)\d{6}|(?:2[0-59]|3[0-689]|[457]\d|6[0-69]|8[126-9]|9[1-47-9])[1-9]\d{5})'))))
        WHEN '44' THEN /* GB */ (regexp_matches(n, '^(?:[1-357-9]\d{9}|[18]\d{8}|8\d{6})') AND ((length(n) IN (7, 10) AND regexp_matches(n, '^(?:(?:8(?:4[2-5]|7[0-3])|9(?:[01]\d|8[2-49]))\d{7}|845464\d)')) OR (length(n) IN (7, 9, 10) AND regexp_matches(n, '^(?:80[08]\d{7}|800\d{6}|8001111)')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:56\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:70\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:76(?:464|652)\d{5}|76(?:0[0-28]|2[356]|34|4[01347]|5[49]|6[0-369]|77|8[14]|9[139])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:3[0347]|55)\d{8})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:(?:1(?:1(?:3(?:[0-58]\d\d|73[0-5])|4(?:(?:[0-5]\d|70)\d|69[7-9])|(?:(?:5[0-26-9]|[78][0-49])\d|6(?:[0-4]\d|5[01]))\d)|(?:2(?:(?:0[024-9]|2[3-9]|3[3-79]|4[1-689]|[58][02-9]|6[0-47-9]|7[013-9]|9\d)\d|1(?:[0-7]\d|8[0-3]))|(?:3(?:0\d|1[0-8]|[25][02-9]|3[02-579]|[468][0-46-9]|7[1-35-79]|9[2-578])|4(?:0[03-9]|[137]\d|[28][02-57-9]|4[02-69]|5[0-8]|[69][0-79])|5(?:0[1-35-9]|[16]\d|2[024-9]|3[015689]|4[02-9]|5[03-9]|7[0-35-9]|8[0-468]|9[0-57-9])|6(?:0[034689]|1\d|2[0-35689]|[38][013-9]|4[1-467]|5[0-69]|6[13-9]|7[0-8]|9[0-24578])|7(?:0[0246-9]|2\d|3[0236-8]|4[03-9]|5[0-46-9]|6[013-9]|7[0-35-9]|8[024-9]|9[02-9])|8(?:0[35-9]|2[1-57-9]|3[02-578]|4[0-578]|5[124-9]|6[2-69]|7\d|8[02-9]|9[02569])|9(?:0[02-589]|[18]\d|2[02-689]|3[1-57-9]|4[2-9]|5[0-579]|6[2-47-9]|7[0-24578]|9[2-57]))\d)\d)|2(?:0[013478]|3[0189]|4[017]|8[0-46-9]|9[0-2])\d{3})\d{4}|1(?:2(?:0(?:46[1-4]|87[2-9])|545[1-79]|76(?:2\d|3[1-8]|6[1-6])|9(?:7(?:2[0-4]|3[2-5])|8(?:2[2-8]|7[0-47-9]|8[3-5])))|3(?:6(?:38[2-5]|47[23])|8(?:47[04-9]|64[0157-9]))|4(?:044[1-7]|20(?:2[23]|8\d)|6(?:0(?:30|5[2-57]|6[1-8]|7[2-8])|140)|8(?:052|87[1-3]))|5(?:2(?:4(?:3[2-79]|6\d)|76\d)|6(?:26[06-9]|686))|6(?:06(?:4\d|7[4-79])|295[5-7]|35[34]\d|47(?:24|61)|59(?:5[08]|6[67]|74)|9(?:55[0-4]|77[23]))|7(?:26(?:6[13-9]|7[0-7])|(?:442|688)\d|50(?:2[0-3]|[3-68]2|76))|8(?:27[56]\d|37(?:5[2-5]|8[239])|843[2-58])|9(?:0(?:0(?:6[1-8]|85)|52\d)|3583|4(?:66[1-8]|9(?:2[01]|81))|63(?:23|3[1-4])|9561))\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7(?:457[0-57-9]|700[01]|911[028])\d{5}|7(?:[1-3]\d\d|4(?:[0-46-9]\d|5[0-689])|5(?:0[0-8]|[13-9]\d|2[0-35-9])|7(?:0[1-9]|[1-7]\d|8[02-9]|9[0-689])|8(?:[014-9]\d|[23][0-8])|9(?:[024-9]\d|1[02-9]|3[0-689]))\d{6})')))) OR /* GG */ (regexp_matches(n, '^(?:(?:1481|[357-9]\d{3})\d{6}|8\d{6}(?:\d{2})?)') AND ((length(n) IN (7, 10) AND regexp_matches(n, '^(?:(?:8(?:4[2-5]|7[0-3])|9(?:[01]\d|8[0-3]))\d{7}|845464\d)')) OR (length(n) IN (7, 9, 10) AND regexp_matches(n, '^(?:80[08]\d{7}|800\d{6}|8001111)')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:56\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:70\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:76(?:464|652)\d{5}|76(?:0[0-28]|2[356]|34|4[01347]|5[49]|6[0-369]|77|8[14]|9[139])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:3[0347]|55)\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1481[25-9]\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7(?:(?:781|839)\d|911[17])\d{5})')))) OR /* IM */ (regexp_matches(n, '^(?:1624\d{6}|(?:[3578]\d|90)\d{8})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:8(?:440[49]06|72299\d)\d{3}|(?:8(?:45|70)|90[0167])624\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:808162\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:56\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:70\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:3440[49]06\d{3}|(?:3(?:08162|3\d{4}|45624|7(?:0624|2299))|55\d{4})\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1624(?:230|[5-8]\d\d)\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:76245[06]\d{4}|7(?:4576|[59]24\d|624[0-4689])\d{5})')))) OR /* JE */ (regexp_matches(n, '^(?:1534\d{6}|(?:[3578]\d|90)\d{8})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:(?:8(?:4(?:4(?:4(?:05|42|69)|703)|5(?:041|800))|7(?:0002|1206))|90(?:066[59]|1810|71(?:07|55)))\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:80(?:07(?:35|81)|8901)\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:56\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:701511\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:76(?:464|652)\d{5}|76(?:0[0-28]|2[356]|34|4[01347]|5[49]|6[0-369]|77|8[14]|9[139])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:3(?:0(?:07(?:35|81)|8901)|3\d{4}|4(?:4(?:4(?:05|42|69)|703)|5(?:041|800))|7(?:0002|1206))|55\d{4})\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1534[0-24-8]\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7(?:(?:(?:50|82)9|937)\d|7(?:00[378]|97\d))\d{5})'))))
        WHEN '423' THEN /* LI */ (regexp_matches(n, '^(?:[68]\d{8}|(?:[2378]\d|90)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:90(?:02[258]|1(?:23|3[14])|66[136])\d\d)')) OR (length(n) IN (7, 9) AND regexp_matches(n, '^(?:8002[28]\d\d|80(?:05\d|9)\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:870(?:28|87)\d\d)')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:697(?:42|56|[78]\d)\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:2(?:01|1[27]|2[024]|3\d|6[02-578]|96)|3(?:[24]0|33|7[0135-7]|8[048]|9[0269]))\d{4})')) OR (length(n) IN (7, 9) AND regexp_matches(n, '^(?:(?:6(?:(?:4[5-9]|5\d)\d|6(?:[024-68]\d|1[01]|3[7-9]|70))\d|7(?:[37-9]\d|42|56))\d{4})'))))
        WHEN '47' THEN /* NO */ (regexp_matches(n, '^(?:(?:0|[2-9]\d{3})\d{4})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:82[09]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[01]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:810(?:0[0-6]|[2-8]\d)\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:85[0-5]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:880\d{5})')) OR (length(n) IN (5, 8) AND regexp_matches(n, '^(?:(?:0[235-9]|81(?:0(?:0[7-9]|1\d)|5\d\d))\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:81[23]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:2[1-4]|3[1-3578]|5[1-35-7]|6[1-46-9]|7[0-8])\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[49]\d{7})')))) OR /* SJ */ (regexp_matches(n, '^(?:0\d{4}|(?:[489]\d|79)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:82[09]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[01]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:810(?:0[0-6]|[2-8]\d)\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:85[0-5]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:880\d{5})')) OR (length(n) IN (5, 8) AND regexp_matches(n, '^(?:(?:0[235-9]|81(?:0(?:0[7-9]|1\d)|5\d\d))\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:81[23]\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:79\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:[49]\d{7})'))))
        WHEN '48' THEN /* PL */ (regexp_matches(n, '^(?:(?:6|8\d\d)\d{7}|[1-9]\d{6}(?:\d{2})?|[26]\d{5})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:70[01346-8]\d{6})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:800\d{6,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:801\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:39\d{7})')) OR (length(n) IN (6, 7, 8, 9) AND regexp_matches(n, '^(?:64\d{4,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:804\d{6})')) OR (length(n) IN (7, 9) AND regexp_matches(n, '^(?:(?:30|47\d\d)\d{5}|(?:1[2-8]|2[2-69]|3[2-4]|4[1-468]|5[24-689]|6[1-3578]|7[14-7]|8[1-79]|9[145])(?:[02-9]\d{6}|1(?:[0-8]\d{5}|9\d{3}(?:\d{2})?)))')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:21(?:1[013-5]|2\d|3[1-9])\d{5}|(?:45|5[0137]|6[069]|7[2389]|88)\d{7})'))))
        WHEN '40' THEN /* RO */ (regexp_matches(n, '^(?:(?:[236-8]\d|90)\d{7}|[23]\d{5})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:90[0136]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:801\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:37\d|80[578])\d{6})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:[23][13-6]\d{7}|(?:2(?:19\d|[3-6]\d9)|31\d\d)\d\d)')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:630|702)0\d{5}|(?:6(?:00|2\d)|7(?:0[013-9]|1[0-3]|[2-7]\d|8[03-8]|9[0-39]))\d{6})'))))
        WHEN '46' THEN /* SE */ (regexp_matches(n, '^(?:(?:[26]\d\d|9)\d{9}|[1-9]\d{8}|[1-689]\d{7}|[1-4689]\d{6}|2\d{5})') AND ((length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:649\d{6}|99[1-59]\d{4}(?:\d{3})?|9(?:00|39|44)[1-8]\d{3,6})')) OR (length(n) IN (6, 7, 8, 9) AND regexp_matches(n, '^(?:20\d{4,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:77[0-7]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:75[1-8]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:74[02-9]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:10[1-8]\d{6})')) OR (length(n) IN (12) AND regexp_matches(n, '^(?:(?:25[245]|67[3-68])\d{9})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:(?:(?:[12][136]|3[356]|4[0246]|6[03]|8\d)\d|90[1-9])\d{4,6}|(?:1(?:2[0-35]|4[0-4]|5[0-25-9]|7[13-6]|[89]\d)|2(?:2[0-7]|4[0136-8]|5[0138]|7[018]|8[01]|9[0-57])|3(?:0[0-4]|1\d|2[0-25]|4[056]|7[0-2]|8[0-3]|9[023])|4(?:1[013-8]|3[0135]|5[14-79]|7[0-246-9]|8[0156]|9[0-689])|5(?:0[0-6]|[15][0-5]|2[0-68]|3[0-4]|4\d|6[03-5]|7[013]|8[0-79]|9[01])|6(?:1[1-3]|2[0-4]|4[02-57]|5[0-37]|6[0-3]|7[0-2]|8[0247]|9[0-356])|9(?:1[0-68]|2\d|3[02-5]|4[0-3]|5[0-4]|[68][01]|7[0135-8]))\d{5,6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7[02369]\d{7})'))))
        WHEN '421' THEN /* SK */ (regexp_matches(n, '^(?:[2-689]\d{8}|[2-59]\d{6}|[2-5]\d{5})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:9(?:00|[78]\d)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8[5-9]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:6(?:02|5[0-4]|9[0-6])\d{6})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:9090\d{3})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:96\d{7})')) OR (length(n) IN (6, 7, 9) AND regexp_matches(n, '^(?:(?:2(?:16|[2-9]\d{3})|(?:(?:[3-5][1-8]\d|819)\d|601[1-5])\d)\d{4}|(?:2|[3-5][1-8])1[67]\d{3}|[3-5][1-8]16\d\d)')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:909[1-9]\d{5}|9(?:0[1-8]|1[0-24-9]|4[03-57-9]|5\d)\d{6})')))) ELSE false END
    WHEN '6' THEN CASE cc
        WHEN '61' THEN /* AU */ (regexp_matches(n, '^(?:1(?:[0-79]\d{7}(?:\d(?:\d{2})?)?|8[0-24-9]\d{7})|[2-478]\d{8}|1\d{4,7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:190[0-26]\d{6})')) OR (length(n) IN (7, 10) AND regexp_matches(n, '^(?:180(?:0\d{3}|2)\d{3})')) OR (length(n) IN (6, 8, 10, 12) AND regexp_matches(n, '^(?:13(?:00\d{6}(?:\d{2})?|45[0-4]\d{3})|13\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:14(?:5(?:1[0458]|[23][458])|71\d)\d{4})')) OR (length(n) IN (5, 6, 7, 8, 9) AND regexp_matches(n, '^(?:163\d{2,6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:(?:241|349)0\d\d|8(?:51(?:0(?:0[03-9]|[12479]\d|3[2-9]|5[0-8]|6[1-9]|8[0-7])|1(?:[0235689]\d|1[0-69]|4[0-589]|7[0-47-9])|2(?:0[0-79]|[18][13579]|2[14-9]|3[0-46-9]|[4-6]\d|7[89]|9[0-4])|[34]\d\d)|91(?:(?:[0-58]\d|6[0135-9])\d|7(?:0[0-24-9]|[1-9]\d)|9(?:[0-46-9]\d|5[0-79]))))\d{3}|(?:2(?:[0-26-9]\d|3[0-8]|4[02-9]|5[0135-9])|3(?:[0-3589]\d|4[0-578]|6[1-9]|7[0-35-9])|7(?:[013-57-9]\d|2[0-8])|8(?:55|6[0-8]|[78]\d|9[02-9]))\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:4(?:79[01]|83[0-36-9]|95[0-3])\d{5}|4(?:[0-36]\d|4[047-9]|[58][0-24-9]|7[02-8]|9[0-47-9])\d{6})')))) OR /* CC */ (regexp_matches(n, '^(?:1(?:[0-79]\d{8}(?:\d{2})?|8[0-24-9]\d{7})|[148]\d{8}|1\d{5,7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:190[0-26]\d{6})')) OR (length(n) IN (7, 10) AND regexp_matches(n, '^(?:180(?:0\d{3}|2)\d{3})')) OR (length(n) IN (6, 8, 10, 12) AND regexp_matches(n, '^(?:13(?:00\d{6}(?:\d{2})?|45[0-4]\d{3})|13\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:14(?:5(?:1[0458]|[23][458])|71\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8(?:51(?:0(?:02|31|60|89)|1(?:18|76)|223)|91(?:0(?:1[0-2]|29)|1(?:[28]2|50|79)|2(?:10|64)|3(?:[06]8|22)|4[29]8|62\d|70[23]|959))\d{3})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:4(?:79[01]|83[0-36-9]|95[0-3])\d{5}|4(?:[0-36]\d|4[047-9]|[58][0-24-9]|7[02-8]|9[0-47-9])\d{6})')))) OR /* CX */ (regexp_matches(n, '^(?:1(?:[0-79]\d{8}(?:\d{2})?|8[0-24-9]\d{7})|[148]\d{8}|1\d{5,7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:190[0-26]\d{6})')) OR (length(n) IN (7, 10) AND regexp_matches(n, '^(?:180(?:0\d{3}|2)\d{3})')) OR (length(n) IN (6, 8, 10, 12) AND regexp_matches(n, '^(?:13(?:00\d{6}(?:\d{2})?|45[0-4]\d{3})|13\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:14(?:5(?:1[0458]|[23][458])|71\d)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8(?:51(?:0(?:01|30|59|88)|1(?:17|46|75)|2(?:22|35))|91(?:00[6-9]|1(?:[28]1|49|78)|2(?:09|63)|3(?:12|26|75)|4(?:56|97)|64\d|7(?:0[01]|1[0-2])|958))\d{3})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:4(?:79[01]|83[0-36-9]|95[0-3])\d{5}|4(?:[0-36]\d|4[047-9]|[58][0-24-9]|7[02-8]|9[0-47-9])\d{6})'))))
        WHEN '673' THEN /* BN */ (regexp_matches(n, '^(?:[2-578]\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:5[34]\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:22[0-7]\d{4}|(?:2[013-9]|[34]\d|5[0-25-9])\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:22[89]|[78]\d\d)\d{4})'))))
        WHEN '682' THEN /* CK */ (regexp_matches(n, '^(?:[2-578]\d{4})') AND ((length(n) IN (5) AND regexp_matches(n, '^(?:(?:2\d|3[13-7]|4[1-5])\d{3})')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:[578]\d{4})'))))
        WHEN '679' THEN /* FJ */ (regexp_matches(n, '^(?:45\d{5}|(?:0800\d|[235-9])\d{6})') AND ((length(n) IN (11) AND regexp_matches(n, '^(?:0800\d{7})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:603\d{4}|(?:3[0-5]|6[25-7]|8[58])\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:[279]\d|45|5[01568]|8[034679])\d{5})'))))
        WHEN '691' THEN /* FM */ (regexp_matches(n, '^(?:(?:[39]\d\d|820)\d{4})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:31(?:00[67]|208|309)\d\d|(?:3(?:[2357]0[1-9]|602|804|905)|(?:820|9[2-6]\d)\d)\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:31(?:00[67]|208|309)\d\d|(?:3(?:[2357]0[1-9]|602|804|905)|(?:820|9[2-7]\d)\d)\d{3})'))))
        WHEN '62' THEN /* ID */ (regexp_matches(n, '^(?:00[1-9]\d{9,14}|(?:[1-36]|8\d{5})\d{6}|00\d{9}|[1-9]\d{8,10}|[2-9]\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:809\d{7})')) OR (length(n) IN (8, 9, 10, 11, 12, 13, 14, 15, 16, 17) AND regexp_matches(n, '^(?:00(?:1803\d{5,11}|7803\d{7})|(?:177\d|800)\d{5,7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:804\d{7})')) OR (length(n) IN (7, 10) AND regexp_matches(n, '^(?:(?:1500|8071\d{3})\d{3})')) OR (length(n) IN (7, 8, 9, 10, 11) AND regexp_matches(n, '^(?:2[124]\d{7,8}|619\d{8}|2(?:1(?:14|500)|2\d{3})\d{3}|61\d{5,8}|(?:2(?:[35][1-4]|6[0-8]|7[1-6]|8\d|9[1-8])|3(?:1|[25][1-8]|3[1-68]|4[1-3]|6[1-3568]|7[0-469]|8\d)|4(?:0[1-589]|1[01347-9]|2[0-36-8]|3[0-24-68]|43|5[1-378]|6[1-5]|7[134]|8[1245])|5(?:1[1-35-9]|2[25-8]|3[124-9]|4[1-3589]|5[1-46]|6[1-8])|6(?:[25]\d|3[1-69]|4[1-6])|7(?:02|[125][1-9]|[36]\d|4[1-8]|7[0-36-9])|9(?:0[12]|1[013-8]|2[0-479]|5[125-8]|6[23679]|7[159]|8[01346]))\d{5,8})')) OR (length(n) IN (9, 10, 11, 12) AND regexp_matches(n, '^(?:8[1-35-9]\d{7,10})'))))
        WHEN '686' THEN /* KI */ (regexp_matches(n, '^(?:(?:[37]\d|6[0-79])\d{6}|(?:[2-48]\d|50)\d{3})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:30(?:0[01]\d\d|12(?:11|20))\d\d)')) OR (length(n) IN (5, 8) AND regexp_matches(n, '^(?:(?:[24]\d|3[1-9]|50|65(?:02[12]|12[56]|22[89]|[3-5]00)|7(?:27\d\d|3100|5(?:02[12]|12[56]|22[89]|[34](?:00|81)|500))|8[0-5])\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:6200[01]|7(?:310[1-9]|5(?:02[03-9]|12[0-47-9]|22[0-7]|[34](?:0[1-9]|8[02-9])|50[1-9])))\d{3}|(?:63\d\d|7(?:(?:[0146-9]\d|2[0-689])\d|3(?:[02-9]\d|1[1-9])|5(?:[0-2][013-9]|[34][1-79]|5[1-9]|[6-9]\d)))\d{4})'))))
        WHEN '692' THEN /* MH */ (regexp_matches(n, '^(?:329\d{4}|(?:[256]\d|45)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:635\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:247|528|625)\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:(?:23|54)5|329|45[35-8])\d{4})'))))
        WHEN '60' THEN /* MY */ (regexp_matches(n, '^(?:1\d{8,9}|(?:3\d|[4-9])\d{7})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:1600\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1[378]00\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:15(?:4(?:6[0-4]\d|8(?:0[125]|[17]\d|21|3[01]|4[01589]|5[014]|6[02]))|6(?:32[0-6]|78\d))\d{4})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:427[01]\d{4}|(?:3(?:2[0-36-9]|3[0-368]|4[0-278]|5[0-24-8]|6[0-467]|7[1246-9]|8\d|9[0-57])\d|4(?:2[0-689]|[3-79]\d|8[1-35689])|5(?:2[0-589]|[3468]\d|5[0-489]|7[1-9]|9[23])|6(?:2[2-9]|3[1357-9]|[46]\d|5[0-6]|7[0-35-9]|85|9[015-8])|7(?:[2579]\d|3[03-68]|4[0-8]|6[5-9]|8[0-35-9])|8(?:[24][2-8]|3[2-5]|5[2-7]|6[2-589]|7[2-578]|[89][2-9])|9(?:0[57]|13|[25-7]\d|[3489][0-8]))\d{5})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:1(?:(?:1888[689]|4400|8(?:47|8[27])[0-4])\d{4}|9\d{7,8})|1(?:0(?:[23568]\d|4[0-6]|7[016-9]|9[0-8])|1(?:[1-5]\d\d|6(?:0[5-9]|[1-9]\d)|7(?:[0-4]\d|5[0-79]|6[02-4]|8[02-5]))|(?:[26]\d|[37][1-9]|4[235-9])\d|5(?:31|9\d\d)|8(?:1[23]|[236]\d|4[06]|5(?:46|[7-9])|7[016-9]|8[01]|9[0-8]))\d{5})'))))
        WHEN '687' THEN /* NC */ (regexp_matches(n, '^(?:(?:050|[2-57-9]\d\d)\d{3})') AND ((length(n) IN (6) AND regexp_matches(n, '^(?:36\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:050\d{3})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:2[03-9]|3[0-5]|4[1-7]|88)\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:[579]\d|8[0-79])\d{4})'))))
        WHEN '672' THEN /* NF */ (regexp_matches(n, '^(?:[13]\d{5})') AND ((length(n) IN (6) AND regexp_matches(n, '^(?:(?:1(?:06|17|28|39)|3[0-2]\d)\d{3})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:14|3[58])\d{4})'))))
        WHEN '674' THEN /* NR */ (regexp_matches(n, '^(?:(?:222|444|(?:55|8\d)\d|666|777|999)\d{4})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:444\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:222|55[3-9]|666|777|8\d\d|999)\d{4})'))))
        WHEN '683' THEN /* NU */ (regexp_matches(n, '^(?:(?:[4-7]|888\d)\d{3})') AND ((length(n) IN (4) AND regexp_matches(n, '^(?:[47]\d{3})')) OR (length(n) IN (4, 7) AND regexp_matches(n, '^(?:(?:[56]|888[1-9])\d{3})'))))
        WHEN '64' THEN /* NZ */ (regexp_matches(n, '^(?:[1289]\d{9}|50\d{5}(?:\d{2,3})?|[27-9]\d{7,8}|(?:[34]\d|6[0-35-9])\d{6}|8\d{4,6})') AND ((length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:(?:1[13-57-9]\d{5}|50(?:0[08]|30|66|77|88))\d{3}|90\d{6,8})')) OR (length(n) IN (8, 9, 10) AND regexp_matches(n, '^(?:508\d{6,7}|80\d{6,8})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:70\d{7})')) OR (length(n) IN (5, 6, 7, 8, 9, 10) AND regexp_matches(n, '^(?:8(?:1[16-9]|22|3\d|4[045]|5[459]|6[235-9]|7[0-3579]|90)\d{2,7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:240\d{5}|(?:3[2-79]|[49][2-9]|6[235-9]|7[2-57-9])\d{6})')) OR (length(n) IN (8, 9, 10) AND regexp_matches(n, '^(?:2(?:[0-27-9]\d|6)\d{6,7}|2(?:1\d|75)\d{5})'))))
        WHEN '689' THEN /* PF */ (regexp_matches(n, '^(?:4\d{5}(?:\d{2})?|8\d{7,8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:499\d{5})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:44\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:4(?:0[4-689]|9[4-68])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8[7-9]\d{6})'))))
        WHEN '675' THEN /* PG */ (regexp_matches(n, '^(?:(?:180|[78]\d{3})\d{4}|(?:[2-589]\d|64)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:180\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:2(?:0[0-57]|7[568])\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:27[01]\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:(?:3[0-2]|4[257]|5[34]|9[78])\d|64[1-9]|85[02-46-9])\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:7\d|8[1-48])\d{6})'))))
        WHEN '63' THEN /* PH */ (regexp_matches(n, '^(?:(?:[2-7]|9\d)\d{8}|2\d{5}|(?:1800|8)\d{7,9})') AND ((length(n) IN (11, 12, 13) AND regexp_matches(n, '^(?:1800\d{7,9})')) OR (length(n) IN (6, 8, 9, 10) AND regexp_matches(n, '^(?:(?:(?:2[3-8]|3[2-68]|4[2-9]|5[2-6]|6[2-58]|7[24578])\d{3}|88(?:22\d\d|42))\d{4}|(?:2|8[2-8]\d\d)\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:8(?:1[37]|9[5-8])|9(?:0[5-9]|1[0-24-9]|[235-7]\d|4[2-9]|8[135-9]|9[1-9]))\d{7})'))))
        WHEN '680' THEN /* PW */ (regexp_matches(n, '^(?:(?:[24-8]\d\d|345|900)\d{4})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:(?:2(?:55|77)|345|488|5(?:35|44|87)|6(?:22|54|79)|7(?:33|47)|8(?:24|55|76)|900)\d{4})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:(?:46|83)[0-5]|(?:6[2-4689]|78)0)\d{4}|(?:45|77|88)\d{5})'))))
        WHEN '677' THEN /* SB */ (regexp_matches(n, '^(?:[6-9]\d{6}|[1-6]\d{4})') AND ((length(n) IN (5) AND regexp_matches(n, '^(?:1[38]\d{3})')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:5[12]\d{3})')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:(?:1[4-79]|[23]\d|4[0-2]|5[03]|6[0-37])\d{3})')) OR (length(n) IN (5, 7) AND regexp_matches(n, '^(?:48\d{3}|(?:(?:6[89]|7[1-9]|8[4-9])\d|9(?:1[2-9]|2[013-9]|3[0-2]|[46]\d|5[0-46-9]|7[0-689]|8[0-79]|9[0-8]))\d{4})'))))
        WHEN '65' THEN /* SG */ (regexp_matches(n, '^(?:(?:(?:1\d|8)\d\d|7000)\d{7}|[3689]\d{7})') AND ((length(n) IN (11) AND regexp_matches(n, '^(?:1900\d{7})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:(?:18|8)00\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:3[12]\d|666)\d{5})')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:7000\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:662[0-24-9]\d{4}|6(?:[0-578]\d|6[013-57-9]|9[0-35-9])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[1-9]\d{5}|(?:8[1-9]|9[0-8])\d{6})'))))
        WHEN '66' THEN /* TH */ (regexp_matches(n, '^(?:(?:001800|[2-57]|[689]\d)\d{7}|1\d{7,9})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:1900\d{6})')) OR (length(n) IN (10, 13) AND regexp_matches(n, '^(?:(?:001800\d|1800)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:6[08]\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:1[0689]|2\d|3[2-9]|4[2-5]|5[2-6]|7[3-7])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:(?:14|[89]\d)\d\d|6(?:[1-6]\d\d|7(?:1[0-8]|2[4-7]|3[1-6])))\d{5})'))))
        WHEN '690' THEN /* TK */ (regexp_matches(n, '^(?:[2-47]\d{3,6})') AND ((length(n) IN (4, 5, 6, 7) AND regexp_matches(n, '^(?:(?:2[2-4]|[34]\d)\d{2,5})')) OR (length(n) IN (4, 5, 6, 7) AND regexp_matches(n, '^(?:7[2-4]\d{2,5})'))))
        WHEN '670' THEN /* TL */ (regexp_matches(n, '^(?:7\d{7}|(?:[2-47]\d|[89]0)\d{5})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:90\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:80\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:70\d{5})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:2[1-5]|3[1-9]|4[1-4])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:7[2-8]\d{6})'))))
        WHEN '676' THEN /* TO */ (regexp_matches(n, '^(?:(?:0800|(?:[5-8]\d\d|999)\d)\d{3}|[2-8]\d{4})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:0800\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:55[0-37-9]\d{4})')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:(?:2\d|3[0-8]|4[0-4]|50|6[09]|7[0-24-69]|8[05])\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:5(?:4[0-5]|5[4-6])|6(?:[09]\d|3[02]|8[15-9])|(?:7\d|8[46-9])\d|999)\d{4})'))))
        WHEN '688' THEN /* TV */ (regexp_matches(n, '^(?:(?:2|7\d\d|90)\d{4})') AND ((length(n) IN (5) AND regexp_matches(n, '^(?:2[02-9]\d{3})')) OR (length(n) IN (6, 7) AND regexp_matches(n, '^(?:(?:7[01]\d|90)\d{4})'))))
        WHEN '678' THEN /* VU */ (regexp_matches(n, '^(?:[57-9]\d{6}|(?:[238]\d|48)\d{3})') AND ((length(n) IN (5) AND regexp_matches(n, '^(?:81[18]\d\d)')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:9(?:0[1-9]|1[01])\d{4})')) OR (length(n) IN (5, 7) AND regexp_matches(n, '^(?:(?:3[03]|900\d)\d{3})')) OR (length(n) IN (5) AND regexp_matches(n, '^(?:(?:38[0-8]|48[4-9])\d\d|(?:2[02-9]|3[4-7]|88)\d{3})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:(?:[58]\d|7[0-7])\d{5})'))))
        WHEN '681' THEN /* WF */ (regexp_matches(n, '^(?:(?:40|72|8\d{4})\d{4}|[89]\d{5})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:9[23]\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:[48]0\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:72\d{4})')) OR (length(n) IN (6) AND regexp_matches(n, '^(?:(?:72|8[23])\d{4})'))))
        WHEN '685' THEN /* WS */ (regexp_matches(n, '^(?:(?:[2-6]|8\d{5})\d{4}|[78]\d{6}|[68]\d{5})') AND ((length(n) IN (6) AND regexp_matches(n, '^(?:800\d{3})')) OR (length(n) IN (5, 6) AND regexp_matches(n, '^(?:6[1-9]\d{3}|(?:[2-5]|60)\d{4})')) OR (length(n) IN (7, 10) AND regexp_matches(n, '^(?:(?:7[1-35-8]|8(?:[3-7]|9\d{3}))\d{5})')))) ELSE false END
    WHEN '8' THEN CASE cc
        WHEN '880' THEN /* BD */ (regexp_matches(n, '^(?:[1-469]\d{9}|8[0-79]\d{7,8}|[2-79]\d{8}|[2-9]\d{7}|[3-9]\d{6}|[57-9]\d{5})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:80[03]\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:96(?:0[469]|1[0-47]|3[389]|43|6[69]|7[78])\d{6})')) OR (length(n) IN (6, 7, 8, 9, 10) AND regexp_matches(n, '^(?:(?:4(?:31\d\d|423)|5222)\d{3}(?:\d{2})?|8332[6-9]\d\d|(?:3(?:03[56]|224)|4(?:22[25]|653))\d{3,4}|(?:3(?:42[47]|529|823)|4(?:027|525|65(?:28|8))|562|6257|7(?:1(?:5[3-5]|6[12]|7[156]|89)|22[589]56|32|42675|52(?:[25689](?:56|8)|[347]8)|71(?:6[1267]|75|89)|92374)|82(?:2[59]|32)56|9(?:03[23]56|23(?:256|373)|31|5(?:1|2[4589]56)))\d{3}|(?:3(?:02[348]|22[35]|324|422)|4(?:22[67]|32[236-9]|6(?:2[46]|5[57])|953)|5526|6(?:024|6655)|81)\d{4,5}|(?:2(?:7(?:1[0-267]|2[0-289]|3[0-29]|4[01]|5[1-3]|6[013]|7[0178]|91)|8(?:0[125]|1[1-6]|2[0157-9]|3[1-69]|41|6[1-35]|7[1-5]|8[1-8]|9[0-6])|9(?:0[0-2]|1[0-4]|2[568]|3[3-6]|5[5-7]|6[0136-9]|7[0-7]|8[014-9]))|3(?:0(?:2[025-79]|3[2-4])|181|22[12]|32[2356]|824)|4(?:02[09]|22[348]|32[045]|523|6(?:27|54))|666(?:22|53)|7(?:22[57-9]|42[56]|82[35])8|8(?:0[124-9]|2(?:181|2[02-4679]8)|4[12]|[5-7]2)|9(?:[04]2|2(?:2|328)|81))\d{4}|(?:2(?:[23]\d|[45])\d\d|3(?:1(?:2[5-7]|[5-7])|425|822)|4(?:033|1\d|[257]1|332|4(?:2[246]|5[25])|6(?:2[35]|56|62)|8(?:23|54)|92[2-5])|5(?:02[03489]|22[457]|32[35-79]|42[46]|6(?:[18]|53)|724|826)|6(?:023|2(?:2[2-5]|5[3-5]|8)|32[3478]|42[34]|52[47]|6(?:[18]|6(?:2[34]|5[24]))|[78]2[2-5]|92[2-6])|7(?:02|21\d|[3-589]1|6[12]|72[24])|8(?:217|3[12]|[5-7]1)|9[24]1)\d{5}|(?:(?:3[2-8]|5[2-57-9]|6[03-589])1|4[4689][18])\d{5}|[59]1\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:1[13-9]\d|644)\d{7}|(?:3[78]|44|66)[02-9]\d{7})'))))
        WHEN '86' THEN /* CN */ (regexp_matches(n, '^(?:(?:(?:1[03-689]|2\d)\d\d|6)\d{8}|1\d{10}|[126]\d{6}(?:\d(?:\d{2})?)?|86\d{5,6}|(?:[3-579]\d|8[0-57-9])\d{5,9})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:16[08]\d{5})')) OR (length(n) IN (10, 12) AND regexp_matches(n, '^(?:(?:(?:10|21)8|8)00\d{7})')) OR (length(n) IN (7, 8, 9, 10, 11) AND regexp_matches(n, '^(?:10(?:10\d{4}|96\d{3,4})|400\d{7}|950\d{7,8}|(?:2[0-57-9]|3(?:[157]\d|35|49|9[1-68])|4(?:[17]\d|2[179]|[35][1-9]|6[47-9]|8[23])|5(?:[1357]\d|2[37]|4[36]|6[1-46]|80|9[1-9])|6(?:3[1-5]|6[0238]|9[12])|7(?:01|[1579]\d|2[248]|3[014-9]|4[3-6]|6[023689])|8(?:1[236-8]|2[5-7]|[37]\d|5[14-9]|8[36-8]|9[1-8])|9(?:0[1-3689]|1[1-79]|[379]\d|4[13]|5[1-5]))96\d{3,4})')) OR (length(n) IN (7, 8, 9, 10, 11) AND regexp_matches(n, '^(?:(?:10(?:[02-79]\d\d|[18](?:0[1-9]|[1-9]\d))|2(?:[02-57-9]\d{3}|1(?:[18](?:0[1-9]|[1-9]\d)|[2-79]\d\d))|(?:41[03]|8078|9(?:78|94))\d\d)\d{5}|(?:10|2[0-57-9])(?:1(?:00|23)\d\d|95\d{3,4})|(?:41[03]|9(?:78|94))(?:100\d\d|95\d{3,4})|8078123|(?:43[35]|754|851)\d{7,8}|(?:43[35]|754|851)(?:1(?:00\d|23)\d|95\d{3,4})|(?:3(?:11|7[179])|4(?:[15]1|3[12])|5(?:1\d|2[37]|3[12]|51|7[13-79]|9[15])|7(?:[39]1|5[57]|6[09])|8(?:71|98))(?:[02-8]\d{7}|1(?:0(?:0\d\d(?:\d{3})?|[1-9]\d{5})|[13-9]\d{6}|2(?:[0-24-9]\d{5}|3\d(?:\d{4})?))|9(?:[0-46-9]\d{6}|5\d{3}(?:\d(?:\d{2})?)?))|(?:3(?:1[02-9]|35|49|5\d|7[02-68]|9[1-68])|4(?:1[24-9]|2[179]|3[46-9]|5[2-9]|6[47-9]|7\d|8[23])|5(?:3[03-9]|4[36]|5[02-9]|6[1-46]|7[028]|80|9[2-46-9])|6(?:3[1-5]|6[0238]|9[12])|7(?:01|[17]\d|2[248]|3[04-9]|4[3-6]|5[0-3689]|6[2368]|9[02-9])|8(?:1[236-8]|2[5-7]|3\d|5[2-9]|7[02-9]|8[36-8]|9[1-7])|9(?:0[1-3689]|1[1-79]|3\d|4[13]|5[1-5]|7[0-79]|9[0-35-9]))(?:[02-8]\d{6}|1(?:0(?:0\d\d(?:\d{2})?|[1-9]\d{4})|[13-9]\d{5}|2(?:[0-24-9]\d{4}|3\d(?:\d{3})?))|9(?:[0-46-9]\d{5}|5\d{3,5})))')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8})'))))
        WHEN '852' THEN /* HK */ (regexp_matches(n, '^(?:8[0-46-9]\d{6,7}|9\d{4,7}|(?:[2-7]|9\d{3})\d{7})') AND ((length(n) IN (5, 6, 7, 8, 11) AND regexp_matches(n, '^(?:900(?:[0-24-9]\d{7}|3\d{1,4}))')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:8(?:1[0-4679]\d|2(?:[0-36]\d|7[0-4])|3(?:[034]\d|2[09]|70))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:7(?:1(?:0[0-38]|1[0-3679]|3[013]|69|9[0136])|2(?:[02389]\d|1[18]|7[27-9])|3(?:[0-38]\d|7[0-369]|9[2357-9])|47\d|5(?:[178]\d|5[0-5])|6(?:0[0-7]|2[236-9]|[35]\d)|7(?:[27]\d|8[7-9])|8(?:[23689]\d|7[1-9])|9(?:[025]\d|6[0-246-8]|7[0-36-9]|8[238]))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:30(?:0[1-9]|[15-7]\d|2[047]|89)\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:2(?:[13-9]\d|2[013-9])\d|3(?:(?:[1569][0-24-9]|4[0-246-9]|7[0-24-69])\d|8(?:4[0-8]|[579]\d|6[0-5]))|58(?:0[1-9]|1[2-9]))\d{4})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:4(?:(?:09|24)[3-6]|44[0-35-9]|6(?:4[0-57-9]|6[0-6])|7(?:4[0-48]|6[0-5]))|5(?:25[3-7]|35[4-8]|73[0-6]|95[0-8])|6(?:26[013-8]|(?:66|78)[0-5])|70(?:7[1-8]|8[0-8])|84(?:4[0-2]|8[0-35-9])|9(?:29[013-9]|39[014-9]|59[0-467]|899))\d{4}|(?:4(?:4[0-35-9]|6[0-357-9]|7[0-35])|5(?:[1-59][0-46-9]|6[0-4689]|7[0-246-9])|6(?:0[1-9]|[13-59]\d|[268][0-57-9]|7[0-79])|70[1-59]|84[0-39]|9(?:0[1-9]|1[02-9]|[2358][0-8]|[467]\d))\d{5})'))))
        WHEN '81' THEN /* JP */ (regexp_matches(n, '^(?:00[1-9]\d{6,14}|[25-9]\d{9}|(?:00|[1-9]\d\d)\d{6})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:990\d{6})')) OR (length(n) IN (8, 9, 10, 11, 12, 13, 14, 15, 16, 17) AND regexp_matches(n, '^(?:00777(?:[01]|5\d)\d\d|(?:00(?:7778|882[1245])|(?:120|800\d)\d\d)\d{4}|00(?:37|66|78)\d{6,13})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:50[1-9]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:60\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:20\d{8})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:570\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:1(?:1[235-8]|2[3-6]|3[3-9]|4[2-6]|[58][2-8]|6[2-7]|7[2-9]|9[1-9])|(?:2[2-9]|[36][1-9])\d|4(?:[2-578]\d|6[02-8]|9[2-59])|5(?:[2-589]\d|6[1-9]|7[2-8])|7(?:[25-9]\d|3[4-9]|4[02-9])|8(?:[2679]\d|3[2-9]|4[5-9]|5[1-9]|8[03-9])|9(?:[2-58]\d|[679][1-9]))\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:[6-9]0[1-9]\d{7})'))))
        WHEN '855' THEN /* KH */ (regexp_matches(n, '^(?:1\d{9}|[1-9]\d{7,8})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:1900(?:1\d|2[09])\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1800(?:1\d|2[019])\d{4})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:23(?:4(?:[2-4]|[56]\d)|[568]\d\d)\d{4}|23[236-9]\d{5}|(?:2[4-6]|3[2-6]|4[2-4]|[5-7][2-5])(?:(?:[237-9]|4[56]|5\d)\d{5}|6\d{5,6}))')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:(?:(?:1[28]|3[18]|9[67])\d|6[016-9]|7(?:[07-9]|[16]\d)|8(?:[013-79]|8\d))\d{6}|(?:1\d|9[0-57-9])\d{6}|(?:2[3-6]|3[2-6]|4[2-4]|[5-7][2-5])48\d{5})'))))
        WHEN '850' THEN /* KP */ (regexp_matches(n, '^(?:85\d{6}|(?:19\d|[2-7])\d{7})') AND ((length(n) IN (8, 10) AND regexp_matches(n, '^(?:(?:(?:195|2)\d|3[19]|4[159]|5[37]|6[17]|7[39]|85)\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:19[1-3]\d{7})'))))
        WHEN '82' THEN /* KR */ (regexp_matches(n, '^(?:00[1-9]\d{8,11}|(?:[12]|5\d{3})\d{7}|[13-6]\d{9}|(?:[1-6]\d|80)\d{7}|[3-6]\d{4,5}|(?:00|7)0\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:60[2-9]\d{6})')) OR (length(n) IN (9, 11, 12, 13, 14) AND regexp_matches(n, '^(?:00(?:308\d{6,7}|798\d{7,9})|(?:00368|[38]0)\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:70\d{8})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:50\d{8,9})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:15\d{7,8})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:1(?:5(?:22|33|44|66|77|88|99)|6(?:[07]0|44|6[0168]|88)|8(?:00|33|55|77|99))\d{4})')) OR (length(n) IN (5, 6, 8, 9, 10) AND regexp_matches(n, '^(?:(?:2|3[1-3]|[46][1-4]|5[1-5])[1-9]\d{6,7}|(?:3[1-3]|[46][1-4]|5[1-5])1\d{2,3})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:1(?:05(?:[0-8]\d|9[0-6])|22[13]\d)\d{4,5}|1(?:0[0-46-9]|[16-9]\d|2[013-9])\d{6,7})'))))
        WHEN '856' THEN /* LA */ (regexp_matches(n, '^(?:[23]\d{9}|3\d{8}|(?:[235-8]\d|41)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:(?:2[13]|[35-7][14]|41|8[1468])\d{6})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:(?:20(?:[23579]\d|8[78])|30[24]\d)\d{6}|30\d{7})'))))
        WHEN '853' THEN /* MO */ (regexp_matches(n, '^(?:0800\d{3}|(?:28|[68]\d)\d{6})') AND ((length(n) IN (7) AND regexp_matches(n, '^(?:0800\d{3})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:28[2-9]|8(?:11|[2-57-9]\d))\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:6800[0-79]\d{3}|6(?:[235]\d\d|6(?:0[0-5]|[1-9]\d)|8(?:0[1-9]|[14-8]\d|2[5-9]|[39][0-4]))\d{4})'))))
        WHEN '886' THEN /* TW */ (regexp_matches(n, '^(?:[2-689]\d{8}|7\d{9,10}|[2-8]\d{7}|2\d{6})') AND ((length(n) IN (7, 9) AND regexp_matches(n, '^(?:20(?:[013-9]\d\d|2)\d{4})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:80[0-79]\d{6}|800\d{5})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:7010(?:[0-2679]\d|3[0-7]|8[0-5])\d{5}|70\d{8})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:99\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:50[0-46-9]\d{6})')) OR (length(n) IN (8, 9) AND regexp_matches(n, '^(?:(?:2[2-8]\d|370|55[01]|7[1-9])\d{6}|4(?:(?:0(?:0[1-9]|[2-48]\d)|1[023]\d)\d{4,5}|(?:[239]\d\d|4(?:0[56]|12|49))\d{5})|6(?:[01]\d{7}|4(?:0[56]|12|24|4[09])\d{4,5})|8(?:(?:2(?:3\d|4[0-269]|[578]0|66)|36[24-9]|90\d\d)\d{4}|4(?:0[56]|12|24|4[09])\d{4,5})|(?:2(?:2(?:0\d\d|4(?:0[68]|[249]0|3[0-467]|5[0-25-9]|6[0235689]))|(?:3(?:[09]\d|1[0-4])|(?:4\d|5[0-49]|6[0-29]|7[0-5])\d)\d)|(?:(?:3[2-9]|5[2-8]|6[0-35-79]|8[7-9])\d\d|4(?:2(?:[089]\d|7[1-9])|(?:3[0-4]|[78]\d|9[01])\d))\d)\d{3})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:40001[0-2]|9[0-8]\d{4})\d{3})'))))
        WHEN '84' THEN /* VN */ (regexp_matches(n, '^(?:[12]\d{9}|[135-9]\d{8}|[16]\d{6,7}|7\d{6})') AND ((length(n) IN (8, 9, 10) AND regexp_matches(n, '^(?:1900\d{4,6})')) OR (length(n) IN (8, 9, 10) AND regexp_matches(n, '^(?:1800\d{4,6}|12(?:0[13]|28)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:672\d{6})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:[17]99\d{4}|69\d{5,6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:2(?:0[3-9]|1[0-689]|2[0-25-9]|[38][2-9]|4[2-8]|5[124-9]|6[0-39]|7[0-7]|9[0-4679])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:121[0-3]\d{5}|(?:160|(?:3\d|7[06-9])\d|5(?:[1689]\d|2[238]|59)|8(?:[1-8]\d|9[6-9])|9(?:[0-8]\d|9[013-9]))\d{6})'))))
        WHEN '800' THEN /* 001 */ (regexp_matches(n, '^(?:(?:00|[1-9]\d)\d{6})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:(?:00|[1-9]\d)\d{6})'))))
        WHEN '808' THEN /* 001 */ (regexp_matches(n, '^(?:[1-9]\d{7})') AND ((length(n) IN (8) AND regexp_matches(n, '^(?:[1-9]\d{7})'))))
        WHEN '870' THEN /* 001 */ (regexp_matches(n, '^(?:7\d{11}|[235-7]\d{8})') AND ((length(n) IN (9) AND regexp_matches(n, '^(?:2\d{8})')) OR (length(n) IN (9, 12) AND regexp_matches(n, '^(?:(?:[356]|774[45])\d{8}|7[6-8]\d{7})'))))
        WHEN '878' THEN /* 001 */ (regexp_matches(n, '^(?:10\d{10})') AND ((length(n) IN (12) AND regexp_matches(n, '^(?:10\d{10})'))))
        WHEN '881' THEN /* 001 */ (regexp_matches(n, '^(?:6\d{9}|[0-36-9]\d{8})') AND ((length(n) IN (9, 10) AND regexp_matches(n, '^(?:6\d{9}|[0-36-9]\d{8})'))))
        WHEN '882' THEN /* 001 */ (regexp_matches(n, '^(?:[13]\d{6}(?:\d{2,5})?|[19]\d{7}|(?:[25]\d\d|4)\d{7}(?:\d{2})?)') AND ((length(n) IN (7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:1(?:3(?:0[0347]|[13][0139]|2[035]|4[013568]|6[0459]|7[06]|8[15-8]|9[0689])\d{4}|6\d{5,10})|(?:345\d|9[89])\d{6}|(?:10|2(?:3|85\d)|3(?:[15]|[69]\d\d)|4[15-8]|51)\d{8})')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:348[57]\d{7})')) OR (length(n) IN (7, 8, 9, 10, 12) AND regexp_matches(n, '^(?:342\d{4}|(?:337|49)\d{6}|(?:3(?:2|47|7\d{3})|5(?:0\d{3}|2[0-2]))\d{7})'))))
        WHEN '883' THEN /* 001 */ (regexp_matches(n, '^(?:(?:[1-4]\d|51)\d{6,10})') AND ((length(n) IN (8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:(?:2(?:00\d\d|10)|(?:370[1-9]|51\d0)\d)\d{7}|51(?:00\d{5}|[24-9]0\d{4,7})|(?:1[0-79]|2[24-689]|3[02-689]|4[0-4])0\d{5,9})'))))
        WHEN '888' THEN /* 001 */ (regexp_matches(n, '^(?:\d{11})') AND ((length(n) IN (11) AND regexp_matches(n, '^(?:\d{11})')))) ELSE false END
    WHEN '7' THEN CASE cc
        WHEN '7' THEN /* KZ */ (regexp_matches(n, '^(?:8\d{13}|[78]\d{9})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:809\d{7})')) OR (length(n) IN (10, 14) AND regexp_matches(n, '^(?:8(?:00|108\d{3})\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:751\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:808\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7(?:1(?:0(?:[23]\d|4[0-3]|59|63)|1(?:[23]\d|4[0-79]|59)|2(?:[23]\d|59)|3(?:2\d|3[0-79]|4[0-35-9]|59)|4(?:[24]\d|3[013-9]|5[1-9]|97)|5(?:2\d|3[1-9]|4[0-7]|59)|6(?:[2-4]\d|5[19]|61)|72\d|8(?:[27]\d|3[1-46-9]|4[0-5]|59))|2(?:1(?:[23]\d|4[46-9]|5[3469])|2(?:2\d|3[0679]|46|5[12679])|3(?:[2-4]\d|5[139])|4(?:2\d|3[1-35-9]|59)|5(?:[23]\d|4[0-8]|59|61)|6(?:2\d|3[1-9]|4[0-4]|59)|7(?:[2379]\d|40|5[279])|8(?:[23]\d|4[0-3]|59)|9(?:2\d|3[124578]|59)))\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7(?:0[0-25-8]|47|6[0-4]|7[15-8]|85)\d{7})')))) OR /* RU */ (regexp_matches(n, '^(?:8\d{13}|[347-9]\d{9})') AND ((length(n) IN (10) AND regexp_matches(n, '^(?:80[39]\d{7})')) OR (length(n) IN (10, 14) AND regexp_matches(n, '^(?:8(?:0[04]|108\d{3})\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:808\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:3(?:0[12]|36|4[1-35-79]|5[1-3]|65|8[1-58]|9[0145])|4(?:01|1[1356]|2[13467]|7[1-5]|8[1-7]|9[1-689])|8(?:1[1-8]|2[01]|3[13-6]|4[0-8]|5[15-7]|6[0-35-79]|7[1-37-9]))\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:9\d{9})')))) ELSE false END ELSE false END;
-- END GENERATED phone

-- Punctuation allowed in a number (VALID_PUNCTUATION), as a regex character-class body.
CREATE OR REPLACE TEMP MACRO lr_phone_punct() AS '-x\x{2010}-\x{2015}\x{2212}\x{30FC}\x{FF0D}-\x{FF0F} \x{00A0}\x{00AD}\x{200B}\x{2060}\x{3000}()\x{FF08}\x{FF09}\x{FF3B}\x{FF3D}.\[\]/~\x{2053}\x{223C}\x{FF5E}';
-- Extension patterns (EXTN_PATTERNS_FOR_PARSING), at the end of the number; the second
-- alternative is the one that parses.
CREATE OR REPLACE TEMP MACRO lr_phone_extn2_re() AS '(?i)[ \x{00A0}\t,]*(?:e?xt(?:ensi(?:o\x{0301}?|\x{00F3}))?n?|\x{FF45}?\x{FF58}\x{FF54}\x{FF4E}?|[,;x\x{FF58}#\x{FF03}~\x{FF5E}]|int|anexo|\x{FF49}\x{FF4E}\x{FF54})[:\.\x{FF0E}]?[ \x{00A0}\t,-]*\p{Nd}{0,7}#?';
CREATE OR REPLACE TEMP MACRO lr_phone_extn_re() AS '(?i)(?:;ext=\p{Nd}{0,7}|' || substr(lr_phone_extn2_re(), 5) || '|[- ]+\p{Nd}{1,5}#)$';
-- The digits of a number as typed: letters read as keypad digits (1-800-FLOWERS), everything
-- else dropped.
CREATE OR REPLACE TEMP MACRO lr_phone_digits(s) AS regexp_replace(
    translate(upper(s), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '22233344455566677778889999'), '[^0-9]', '', 'g');

-- ---------------------------------------------------------------------------------------
-- Leads

CREATE OR REPLACE TEMP TABLE lr_leads AS
WITH file AS (
    -- the SPEC columns, NULL when the file lacks one (only lead_id is required)
    SELECT * FROM (SELECT NULL::VARCHAR AS lead_id, NULL::VARCHAR AS email, NULL::VARCHAR AS first_name,
        NULL::VARCHAR AS last_name, NULL::VARCHAR AS title, NULL::VARCHAR AS domain, NULL::VARCHAR AS account_id,
        NULL::VARCHAR AS industry, NULL::VARCHAR AS employees, NULL::VARCHAR AS annual_revenue,
        NULL::VARCHAR AS country, NULL::VARCHAR AS phone, NULL::VARCHAR AS phone_verified, NULL::VARCHAR AS consent,
        NULL::VARCHAR AS consent_at, NULL::VARCHAR AS created_at, NULL::VARCHAR AS tech_stack,
        NULL::VARCHAR AS use_case, NULL::VARCHAR AS budget_owner, NULL::VARCHAR AS timeline_days,
        NULL::VARCHAR AS contract_end, NULL::VARCHAR AS honeypot LIMIT 0)
    UNION ALL BY NAME
    SELECT * FROM read_csv(getvariable('leads_path'), all_varchar = true, header = true)
), raw AS (
    SELECT row_number() OVER () AS rn, * FROM file
), t AS (
    SELECT rn,
        lr_text(lead_id) AS lead_id, lr_text(email) AS email, lr_text(first_name) AS first_name,
        lr_text(last_name) AS last_name, lr_text(title) AS title, lr_text(domain) AS domain,
        lr_text(account_id) AS account_id, lr_text(industry) AS industry, lr_text(employees) AS employees,
        lr_text(annual_revenue) AS annual_revenue, lr_text(country) AS country, lr_text(phone) AS phone,
        lr_text(phone_verified) AS phone_verified, lr_text(consent) AS consent, lr_text(consent_at) AS consent_at,
        lr_text(created_at) AS created_at, lr_text(tech_stack) AS tech_stack, lr_text(use_case) AS use_case,
        lr_text(budget_owner) AS budget_owner, lr_text(timeline_days) AS timeline_days,
        lr_text(contract_end) AS contract_end, lr_text(honeypot) AS honeypot
    FROM raw
), ok AS (
    -- The rows leadrank accepts; of several rows with one lead_id, the first.
    SELECT * FROM t
    WHERE lead_id IS NOT NULL
      AND lr_int_ok(employees) AND coalesce(CAST(employees AS BIGINT) >= 0, true)
      AND lr_int_ok(timeline_days)
      AND (annual_revenue IS NULL OR isfinite(try_cast(annual_revenue AS DOUBLE)))
      AND lr_bool_ok(phone_verified) AND lr_bool_ok(consent) AND lr_bool_ok(budget_owner)
      AND (consent_at IS NULL OR lr_time(consent_at) IS NOT NULL)
      AND (created_at IS NULL OR lr_time(created_at) IS NOT NULL)
      AND (contract_end IS NULL OR lr_time(contract_end) IS NOT NULL)
    QUALIFY row_number() OVER (PARTITION BY lead_id ORDER BY rn) = 1
), mail AS (
    SELECT *,
        lower(nullif(regexp_extract(email, '@([^@]*)$', 1), '')) AS email_domain,
        coalesce(lr_email_syntax(email), false) AS email_syntax
    FROM ok
), disposable_hit AS (
    -- the domain or a parent domain (of two labels or more) is on the disposable list
    SELECT DISTINCT rn FROM (
        SELECT rn, string_split(email_domain, '.') AS labels FROM mail WHERE email_syntax
    ), LATERAL (SELECT unnest(range(1, len(labels))) AS i)
    WHERE array_to_string(labels[i:], '.') IN (SELECT domain FROM lr_disposable)
), countries AS (
    -- country::normalize, once per distinct value: a 2- or 3-letter code (dots and spaces
    -- ignored; UK = GB, EL = GR), else a name by its bag of words or its concatenated words.
    SELECT country, coalesce(
        CASE WHEN regexp_full_match(compact, '[A-Za-z]{2}') THEN
                 CASE upper(compact) WHEN 'UK' THEN 'GB' WHEN 'EL' THEN 'GR'
                      ELSE (SELECT min(alpha2) FROM lr_country_codes WHERE alpha2 = upper(compact)) END
             WHEN regexp_full_match(compact, '[A-Za-z]{3}') THEN
                 (SELECT min(alpha2) FROM lr_country_codes WHERE alpha3 = upper(compact)) END,
        (SELECT code FROM lr_country_index WHERE key = lr_bag_key(lr_country_words(country))),
        (SELECT code FROM lr_country_index WHERE key = array_to_string(lr_country_words(country), ''))) AS code
    FROM (SELECT DISTINCT country, regexp_replace(country, '[.\s]', '', 'g') AS compact
          FROM ok WHERE country IS NOT NULL AND strlen(country) <= 200)
), kinds AS (
    SELECT m.*,
        CASE WHEN m.email IS NULL THEN NULL
             WHEN NOT m.email_syntax THEN 'invalid'
             WHEN d.rn IS NOT NULL THEN 'disposable'
             WHEN f.domain IS NOT NULL THEN 'free_mail'
             ELSE 'corporate' END AS email_kind,
        c.code AS country_code
    FROM mail m
    LEFT JOIN disposable_hit d ON d.rn = m.rn
    LEFT JOIN lr_free_mail f ON f.domain = m.email_domain AND m.email_syntax
    LEFT JOIN countries c ON c.country = m.country
)
SELECT *,
    -- account key (SPEC section 2): the account_id, else the corporate email domain
    CASE WHEN account_id IS NOT NULL THEN 'id:' || account_id
         WHEN email_kind = 'corporate' THEN 'domain:' || email_domain END AS account_key,
    -- company domain: the domain field normalised, else the corporate email domain
    coalesce(lr_norm_domain(domain), CASE WHEN email_kind = 'corporate' THEN email_domain END) AS company_domain,
    -- duplicate keys: email::normalize_for_dedupe of a valid email, names::normalize_full_name
    CASE WHEN email_kind IS NULL OR email_kind = 'invalid' THEN NULL
         WHEN email_domain IN ('gmail.com', 'googlemail.com')
             THEN nullif(trim(replace(split_part(regexp_extract(lower(email), '^(.*)@', 1), '+', 1), '.', '')), '') || '@gmail.com'
         ELSE lower(email) END AS email_key,
    nullif(lower(array_to_string(string_split_regex(trim(concat_ws(' ', first_name, last_name)), '\s+'), ' ')), '') AS name_key
FROM kinds;

-- Seniority once per distinct title: director_plus when the most senior word is director,
-- head, VP or C-level, after the early exits of from_title (placeholders, trainees, "to the
-- CEO" cut off, support roles).
CREATE OR REPLACE TEMP TABLE lr_titles AS
WITH t AS (
    SELECT title, lr_title_words(title) AS w FROM (SELECT DISTINCT title FROM lr_leads WHERE title IS NOT NULL)
), cut AS (
    SELECT title, w,
        list_min([i FOR i IN range(1, len(w) + 1)
                  IF (w[i] IN ('to', 'zu') OR (i > 1 AND list_contains(lr_sen_support_nouns(), w[i - 1])
                                               AND list_contains(lr_sen_prepositions_after_support(), w[i])))
                     AND list_bool_or([lr_role_word(x) FOR x IN list_slice(w, i + 1, i + 3)])]) AS c
    FROM t
), kept AS (
    SELECT title, w, CASE WHEN c IS NULL THEN w ELSE list_slice(w, 1, c - 1) END AS k FROM cut
)
SELECT title,
    len(w) > 0
    AND NOT list_contains(lr_sen_placeholders(), array_to_string(w, ' '))
    AND NOT list_bool_or([list_contains(lr_sen_strong_student(), w[i])
                          AND NOT list_has_any(list_slice(w, i + 1, len(w)), lr_sen_trainee_staff_nouns())
                          FOR i IN range(1, len(w) + 1)])
    AND NOT list_bool_or([contains(title, x) FOR x IN lr_sen_cjk_student()])
    AND NOT coalesce(list_contains(lr_sen_support_head_nouns(), k[-1]), false)
    AND NOT list_bool_or([ends_with(title, x) FOR x IN lr_sen_cjk_support_suffixes()])
    AND (coalesce(list_min([lr_word_level(k, i, k[i], CASE WHEN i > 1 THEN k[i - 1] END, k[i + 1])
                            FOR i IN range(1, len(k) + 1)]), 9) <= 3
         OR list_bool_or([contains(title, x) FOR x IN lr_sen_cjk_director_plus()])) AS director_plus
FROM kept;

-- Gibberish once per distinct first/last name and word (rules 4-8 on each word: c is the
-- word lower-cased without combining marks, f the same folded to ASCII, u its sound units).
CREATE OR REPLACE TEMP TABLE lr_name_parts AS
WITH parts AS (
    SELECT DISTINCT p FROM (SELECT first_name AS p FROM lr_leads UNION ALL SELECT last_name FROM lr_leads)
    WHERE p IS NOT NULL
), words AS (
    SELECT DISTINCT p, unnest(string_split_regex(p, '[^\pL\pM]+')) AS w FROM parts
), w1 AS (
    SELECT w, regexp_replace(lower(w), '\pM', '', 'g') AS c FROM (SELECT DISTINCT w FROM words WHERE w <> '')
), w2 AS (
    SELECT w, c, lr_fold(c) AS f,
        c <> '' AND c NOT IN ('iii', 'viii', 'xiii', 'xviii') AND regexp_full_match(c, '[a-z' || lr_fold_letters() || ']+') AS latin
    FROM w1
), w3 AS (
    SELECT *, CASE WHEN latin THEN lr_gib_units(f) END AS u FROM w2
), word_flags AS (
    SELECT w, CASE WHEN NOT latin THEN
        -- other scripts: only a character four times in a row
        coalesce(list_bool_or([x[1] = x[2] AND x[1] = x[3] AND x[1] = x[4]
                              FOR x IN list_zip(string_split(c, ''), string_split(c, '')[2:], string_split(c, '')[3:], string_split(c, '')[4:])]), false)
        AND c NOT IN ('', 'iii', 'viii', 'xiii', 'xviii')
    ELSE (
        list_bool_or([x[1] = x[2] AND x[1] = x[3] FOR x IN list_zip(string_split(c, ''), string_split(c, '')[2:], string_split(c, '')[3:])])
        OR (strlen(f) >= 4 AND regexp_matches(f, lr_gib_row_walk_re()))
        OR regexp_matches(f, lr_gib_column_walk_re())
        OR regexp_full_match(f, lr_gib_repeat_walk_re())
        OR (strlen(f) >= 5 AND regexp_full_match(f, '[asdfghjkl]+') AND lr_gib_run(u) >= 4)
        OR (lr_gib_consonants(u) >= 4 AND lr_gib_consonants(u) = length(u)
            AND NOT (lr_gib_consonants(u) = 4 AND regexp_full_match(f, '[bdfhjklmnqrstwz]+')))
        OR lr_gib_run(u) >= 6) END AS bad
    FROM w3
)
SELECT p.p, lr_gib_part(p.p) AS bad_part,
    coalesce((SELECT bool_or(f.bad) FROM words x JOIN word_flags f USING (w) WHERE x.p = p.p), false) AS bad_word
FROM parts p;

-- Phone validity (phone::is_valid with the lead's country), step by step: from the first '+'
-- or digit on; the pre-filter; the calling code after '+' (or the region's international
-- prefix), else the region's, which a number starting with it loses (helper::country_code);
-- the national prefix removed (that of the lead's region, else of the number's own region),
-- then once more (parser::parse); length 2 to 17; the numbering plan.
CREATE OR REPLACE TEMP TABLE lr_phones AS
WITH p0 AS (
    -- RFC 3966 parameters (";ext=12") are dropped when the text parses as an RFC 3966 number
    -- ("tel:...", or no '+' and no space); then from the first '+' or digit on, without
    -- trailing punctuation (extract()) and without a second number ("/x...").
    SELECT lead_id, country_code AS region,
        regexp_replace(regexp_replace(regexp_extract(
            CASE WHEN regexp_matches(phone, '^(?i)tel:') OR NOT regexp_matches(phone, '[ +]') THEN split_part(phone, ';', 1)
                 ELSE phone END,
            '[+＋\p{Nd}].*$'), '[^\pN\pL#]+$', ''), '[\\/] *x.*$', '') AS s
    FROM lr_leads
    WHERE phone IS NOT NULL AND regexp_matches(phone, '[0-9]')
      AND length(regexp_replace(phone, '[^0-9A-Za-z]', '', 'g')) >= 4
), p0x AS (
    -- the extension (EXTN_PATTERNS_FOR_PARSING): "ext. 12", "x12", "#12" are cut off;
    -- ";ext=12" and "- 12#" make the text no number
    SELECT *, regexp_extract(s, lr_phone_extn_re(), 0) AS ext FROM p0
), p0y AS (
    SELECT lead_id, region, CASE WHEN ext = '' THEN s ELSE left(s, length(s) - length(ext)) END AS national
    FROM p0x
    WHERE ext = '' OR (NOT regexp_full_match(ext, '(?i);ext=\p{Nd}{0,7}') AND regexp_full_match(ext, lr_phone_extn2_re()))
), p1 AS (
    -- is_viable(): two digits, or at least three digits (after optional punctuation) first
    SELECT lead_id, region, starts_with(national, '+') OR starts_with(national, '＋') AS plus,
        lr_phone_digits(national) AS d
    FROM p0y
    WHERE regexp_full_match(national, '[0-9]{2}')
       OR regexp_full_match(national, '[+＋]*(?:[' || lr_phone_punct() || '*]*[0-9]){3}[' || lr_phone_punct() || '*0-9A-Za-z]*')
), p2 AS (
    SELECT *, CASE WHEN plus THEN (CASE WHEN NOT starts_with(d, '0') THEN d END)
                   WHEN region IS NOT NULL THEN lr_phone_after_idd(region, d) END AS intl,
              lr_phone_region_cc(region) AS rcc
    FROM p1
), p3 AS (
    SELECT *, CASE WHEN length(intl) > 2 THEN nullif(regexp_extract(intl, lr_phone_cc_re(), 1), '') END AS icc FROM p2
), p4 AS (
    SELECT lead_id, region,
        CASE WHEN plus OR intl IS NOT NULL THEN icc ELSE rcc END AS cc,
        CASE WHEN plus OR intl IS NOT NULL THEN substr(intl, length(icc) + 1)
             WHEN starts_with(d, rcc) THEN substr(d, length(rcc) + 1)
             ELSE d END AS n
    FROM p3
), p5 AS (
    SELECT *, lr_phone_strip_np1(meta, n) AS n1, lr_phone_np(meta) AS np
    FROM (SELECT *, CASE WHEN region IS NOT NULL THEN region
                         WHEN NOT lr_phone_cc_shared(cc) THEN lr_phone_cc_region(cc)
                         WHEN lr_phone_nsn_valid(cc, ltrim(n, '0')) THEN lr_phone_cc_region(cc) END AS meta
          FROM p4 WHERE cc IS NOT NULL)
), p6 AS (
    SELECT lead_id, cc, CASE WHEN starts_with(n1, np) THEN substr(n1, length(np) + 1) ELSE n1 END AS nsn FROM p5
)
SELECT lead_id FROM p6 WHERE length(nsn) BETWEEN 2 AND 17 AND lr_phone_nsn_valid(cc, nsn);

-- ---------------------------------------------------------------------------------------
-- Events: the accepted rows, deduplicated by event_id (the first occurrence counts), at or
-- before T. Paths are only needed for page views in the longest path window (90 days).

CREATE OR REPLACE TEMP TABLE lr_events AS
WITH file AS (
    SELECT * FROM (SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS lead_id, NULL::VARCHAR AS type,
        NULL::VARCHAR AS occurred_at, NULL::VARCHAR AS url, NULL::VARCHAR AS properties LIMIT 0)
    UNION ALL BY NAME
    SELECT * FROM read_csv(getvariable('events_path'), all_varchar = true, header = true)
), raw AS (
    SELECT row_number() OVER () AS rn, event_id, lead_id, type, occurred_at, url, properties FROM file
), ok AS (
    SELECT rn, lr_text(event_id) AS event_id, lr_text(lead_id) AS lead_id, lr_text(type) AS type,
        lr_secs(lr_time(lr_text(occurred_at))) AS at_s, lr_text(url) AS url, lr_text(properties) AS props
    FROM raw
), accepted AS (
    SELECT rn, event_id, lead_id, type, at_s, url FROM ok
    WHERE event_id IS NOT NULL AND type IS NOT NULL AND at_s IS NOT NULL
      AND (props IS NULL OR (json_valid(props) AND json_type(props) = 'OBJECT'))
      AND lead_id IN (SELECT lead_id FROM lr_leads)
), repeated AS (
    -- event ids seen more than once, with the row that counts
    SELECT event_id, min(rn) AS first_rn FROM accepted GROUP BY event_id HAVING count(*) > 1
), dedup AS (
    SELECT a.* FROM accepted a LEFT JOIN repeated r USING (event_id)
    WHERE r.event_id IS NULL OR a.rn = r.first_rn
), in_window AS (
    SELECT lead_id, type, at_s, CASE WHEN type = 'page_view' AND at_s >= lr_days(90) THEN url END AS url
    FROM dedup WHERE at_s <= lr_t()
), paths AS (
    -- each distinct URL is normalised once
    SELECT url, lr_path(url) AS path FROM (SELECT DISTINCT url FROM in_window WHERE url IS NOT NULL)
)
SELECT w.lead_id, w.type, w.at_s, p.path
FROM in_window w LEFT JOIN paths p USING (url);

-- Per-lead event rules, and the last-30-days engagement the buying committee counts.
CREATE OR REPLACE TEMP TABLE lr_event_rules AS
SELECT lead_id,
    bool_or(type = 'page_view' AND at_s >= lr_days(30) AND lr_under(path, '/pricing')) AS pricing_page,
    bool_or(type = 'demo_request' AND at_s >= lr_days(90)) AS demo_request,
    bool_or(type = 'trial_started' AND at_s >= lr_days(90)) AS trial_activation,
    bool_or(type = 'intent_surge' AND at_s >= lr_days(30)) AS intent_surge,
    count(DISTINCT path) FILTER (WHERE type = 'page_view' AND at_s >= lr_days(7) AND lr_high_intent(path)) >= 2 AS high_intent_burst,
    bool_or(type = 'page_view' AND at_s >= lr_days(90) AND (lr_under(path, '/careers') OR lr_under(path, '/jobs'))) AS careers_page,
    bool_or(type = 'email_bounce') AS bounced_email,
    bool_or(type NOT IN ('email_open', 'email_bounce', 'intent_surge', 'sales_touch') AND at_s >= lr_days(30)) AS engaged_30d
FROM lr_events
GROUP BY lead_id;

-- spam, in part: 5 or more form_submit within 60 seconds (any sliding window, up to T).
CREATE OR REPLACE TEMP TABLE lr_form_burst AS
SELECT DISTINCT lead_id FROM (
    SELECT lead_id, at_s, lead(at_s, 4) OVER (PARTITION BY lead_id ORDER BY at_s) AS fifth
    FROM lr_events WHERE type = 'form_submit'
) WHERE fifth - at_s <= 60;

-- event_follow_up: an event_attended or webinar_attended at a, T-30d <= a <= T, then an
-- engagement event e with a < e <= min(a + 7d, T) (events after T are already gone).
CREATE OR REPLACE TEMP TABLE lr_follow_up AS
SELECT DISTINCT lead_id FROM (
    SELECT lead_id, type,
        count(*) OVER (PARTITION BY lead_id ORDER BY at_s RANGE BETWEEN 1 FOLLOWING AND 604800 FOLLOWING) AS engaged_after
    FROM lr_events
    WHERE at_s >= lr_days(30) AND type NOT IN ('email_open', 'email_bounce', 'intent_surge', 'sales_touch')
) WHERE type IN ('event_attended', 'webinar_attended') AND engaged_after > 0;

-- ---------------------------------------------------------------------------------------
-- Population facts: buying committee (>= 2 people of the account engaged in 30 days, the
-- lead included) and duplicates (same email key, or same full name in the same account).

CREATE OR REPLACE TEMP TABLE lr_committees AS
SELECT l.account_key, count(*) AS engaged_people
FROM lr_leads l JOIN lr_event_rules r USING (lead_id)
WHERE l.account_key IS NOT NULL AND r.engaged_30d
GROUP BY l.account_key;

CREATE OR REPLACE TEMP TABLE lr_duplicates AS
SELECT l.lead_id FROM lr_leads l
JOIN (SELECT email_key FROM lr_leads WHERE email_key IS NOT NULL GROUP BY email_key HAVING count(*) > 1) USING (email_key)
UNION
SELECT l.lead_id FROM lr_leads l
JOIN (SELECT account_key, name_key FROM lr_leads WHERE account_key IS NOT NULL AND name_key IS NOT NULL
      GROUP BY account_key, name_key HAVING count(*) > 1) USING (account_key, name_key);

-- ---------------------------------------------------------------------------------------
-- Rules, dimensions after caps, total.

CREATE OR REPLACE TEMP TABLE lr_scores AS
WITH rules AS (
    SELECT l.rn, l.lead_id,
        -- fit
        coalesce(list_contains(lr_icp_industries(), lower(l.industry)), false) AS icp_industry,
        coalesce(CAST(l.employees AS BIGINT) BETWEEN 200 AND 2000, false) AS employee_band,
        coalesce(list_bool_or([list_contains(lr_icp_tech(), lower(lr_text(x))) FOR x IN string_split(l.tech_stack, ';')]), false) AS tech_stack,
        coalesce(list_contains(lr_icp_countries(), l.country_code), false) AS target_geo,
        coalesce(regexp_matches(lr_words(l.use_case), lr_use_case_re()), false) AS use_case,
        -- intent
        coalesce(r.pricing_page, false) AS pricing_page,
        coalesce(r.demo_request, false) AS demo_request,
        coalesce(r.trial_activation, false) AS trial_activation,
        coalesce(r.intent_surge, false) AS intent_surge,
        coalesce(r.high_intent_burst, false) AS high_intent_burst,
        -- access
        coalesce(ti.director_plus, false) AS director_plus,
        coalesce(lr_bool(l.budget_owner), false) AS budget_owner,
        coalesce(c.engaged_people >= 2, false) AS buying_committee,
        -- timing
        coalesce(CAST(l.timeline_days AS BIGINT) BETWEEN 1 AND 90, false) AS timeline_90d,
        coalesce(CAST(floor(lr_secs(lr_time(l.contract_end)) / 86400) AS BIGINT)
                 - CAST(floor(lr_t() / 86400) AS BIGINT) BETWEEN 0 AND 365, false) AS contract_end,
        f.lead_id IS NOT NULL AS event_follow_up,
        -- integrity
        coalesce(l.email_kind = 'corporate', false) AS corporate_email,
        coalesce(lr_bool(l.phone_verified), false) OR ph.lead_id IS NOT NULL AS phone_verified,
        coalesce(lr_bool(l.consent), false) AS consent,
        d.lead_id IS NULL AS unique_record,
        -- penalties
        coalesce(r.careers_page, false) AS careers_page,
        coalesce(l.email_kind = 'free_mail', false) AS personal_email,
        coalesce(contains(lr_words(l.title), ' student '), false) AS student,
        coalesce(lr_domain_in(lr_norm_domain(l.email_domain), lr_competitors_re()), false)
            OR coalesce(lr_domain_in(lr_norm_domain(l.company_domain), lr_competitors_re()), false) AS competitor,
        coalesce(r.bounced_email, false) AS bounced_email,
        l.honeypot IS NOT NULL OR coalesce(l.email_kind = 'disposable', false) OR b.lead_id IS NOT NULL
            OR coalesce(g1.bad_part OR g1.bad_word, false) OR coalesce(g2.bad_part OR g2.bad_word, false) AS spam
    FROM lr_leads l
    LEFT JOIN lr_event_rules r USING (lead_id)
    LEFT JOIN lr_committees c USING (account_key)
    LEFT JOIN lr_duplicates d USING (lead_id)
    LEFT JOIN lr_follow_up f USING (lead_id)
    LEFT JOIN lr_form_burst b USING (lead_id)
    LEFT JOIN lr_titles ti ON ti.title = l.title
    LEFT JOIN lr_phones ph USING (lead_id)
    LEFT JOIN lr_name_parts g1 ON g1.p = l.first_name
    LEFT JOIN lr_name_parts g2 ON g2.p = l.last_name
), dims AS (
    SELECT *,
        least(50, 10 * (icp_industry::INT + employee_band::INT + tech_stack::INT + target_geo::INT + use_case::INT)) AS fit,
        least(40, 10 * pricing_page::INT + 25 * demo_request::INT + 30 * trial_activation::INT
                  + 10 * intent_surge::INT + 10 * high_intent_burst::INT) AS intent,
        least(20, 10 * (director_plus::INT + budget_owner::INT + buying_committee::INT)) AS access,
        least(20, 10 * timeline_90d::INT + 10 * contract_end::INT + 5 * event_follow_up::INT) AS timing,
        least(15, 5 * (corporate_email::INT + phone_verified::INT + consent::INT + unique_record::INT)) AS integrity,
        -10 * careers_page::INT - 10 * personal_email::INT - 15 * student::INT - 20 * competitor::INT
            - 20 * bounced_email::INT - 30 * spam::INT AS penalty
    FROM rules
)
SELECT * EXCLUDE (rn), fit + intent + access + timing + integrity + penalty AS total
FROM dims
ORDER BY rn;
