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
CREATE OR REPLACE TEMP MACRO lr_country_words(raw) AS list_transform(
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
        '#'), '|', ''), '^', ''), ' '), lambda w: w <> ''),
    lambda w: w);
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
-- One letter three times in a row (Latin letters).
CREATE OR REPLACE TEMP MACRO lr_gib_repeat_re() AS '(?:a{3}|b{3}|c{3}|d{3}|e{3}|f{3}|g{3}|h{3}|i{3}|j{3}|k{3}|l{3}|m{3}|n{3}|o{3}|p{3}|q{3}|r{3}|s{3}|t{3}|u{3}|v{3}|w{3}|x{3}|y{3}|z{3}|ß{3}|à{3}|á{3}|â{3}|ã{3}|ä{3}|å{3}|æ{3}|ç{3}|è{3}|é{3}|ê{3}|ë{3}|ì{3}|í{3}|î{3}|ï{3}|ð{3}|ñ{3}|ò{3}|ó{3}|ô{3}|õ{3}|ö{3}|ø{3}|ù{3}|ú{3}|û{3}|ü{3}|ý{3}|þ{3}|ÿ{3}|ā{3}|ă{3}|ą{3}|ć{3}|ĉ{3}|ċ{3}|č{3}|ď{3}|đ{3}|ē{3}|ĕ{3}|ė{3}|ę{3}|ě{3}|ĝ{3}|ğ{3}|ġ{3}|ģ{3}|ĥ{3}|ħ{3}|ĩ{3}|ī{3}|ĭ{3}|į{3}|ı{3}|ĳ{3}|ĵ{3}|ķ{3}|ĸ{3}|ĺ{3}|ļ{3}|ľ{3}|ŀ{3}|ł{3}|ń{3}|ņ{3}|ň{3}|ŉ{3}|ŋ{3}|ō{3}|ŏ{3}|ő{3}|œ{3}|ŕ{3}|ŗ{3}|ř{3}|ś{3}|ŝ{3}|ş{3}|š{3}|ţ{3}|ť{3}|ŧ{3}|ũ{3}|ū{3}|ŭ{3}|ů{3}|ű{3}|ų{3}|ŵ{3}|ŷ{3}|ź{3}|ż{3}|ž{3}|ſ{3}|ƀ{3}|ƈ{3}|ƌ{3}|ƒ{3}|ƙ{3}|ƚ{3}|ƞ{3}|ơ{3}|ƣ{3}|ƥ{3}|ƭ{3}|ư{3}|ƴ{3}|ƶ{3}|ƿ{3}|ǆ{3}|ǉ{3}|ǌ{3}|ǎ{3}|ǐ{3}|ǒ{3}|ǔ{3}|ǖ{3}|ǘ{3}|ǚ{3}|ǜ{3}|ǝ{3}|ǟ{3}|ǡ{3}|ǣ{3}|ǥ{3}|ǧ{3}|ǩ{3}|ǫ{3}|ǭ{3}|ǯ{3}|ǰ{3}|ǳ{3}|ǵ{3}|ǹ{3}|ǻ{3}|ǽ{3}|ǿ{3}|ȁ{3}|ȃ{3}|ȅ{3}|ȇ{3}|ȉ{3}|ȋ{3}|ȍ{3}|ȏ{3}|ȑ{3}|ȓ{3}|ȕ{3}|ȗ{3}|ș{3}|ț{3}|ȝ{3}|ȟ{3}|ȣ{3}|ȥ{3}|ȧ{3}|ȩ{3}|ȫ{3}|ȭ{3}|ȯ{3}|ȱ{3}|ȳ{3}|ȷ{3}|ȼ{3}|ȿ{3}|ɇ{3}|ɉ{3}|ɋ{3}|ɍ{3}|ɏ{3}|ḁ{3}|ḃ{3}|ḅ{3}|ḇ{3}|ḉ{3}|ḋ{3}|ḍ{3}|ḏ{3}|ḑ{3}|ḓ{3}|ḕ{3}|ḗ{3}|ḙ{3}|ḛ{3}|ḝ{3}|ḟ{3}|ḡ{3}|ḣ{3}|ḥ{3}|ḧ{3}|ḩ{3}|ḫ{3}|ḭ{3}|ḯ{3}|ḱ{3}|ḳ{3}|ḵ{3}|ḷ{3}|ḹ{3}|ḻ{3}|ḽ{3}|ḿ{3}|ṁ{3}|ṃ{3}|ṅ{3}|ṇ{3}|ṉ{3}|ṋ{3}|ṍ{3}|ṏ{3}|ṑ{3}|ṓ{3}|ṕ{3}|ṗ{3}|ṙ{3}|ṛ{3}|ṝ{3}|ṟ{3}|ṡ{3}|ṣ{3}|ṥ{3}|ṧ{3}|ṩ{3}|ṫ{3}|ṭ{3}|ṯ{3}|ṱ{3}|ṳ{3}|ṵ{3}|ṷ{3}|ṹ{3}|ṻ{3}|ṽ{3}|ṿ{3}|ẁ{3}|ẃ{3}|ẅ{3}|ẇ{3}|ẉ{3}|ẋ{3}|ẍ{3}|ẏ{3}|ẑ{3}|ẓ{3}|ẕ{3}|ẖ{3}|ẗ{3}|ẘ{3}|ẙ{3}|ẛ{3}|ạ{3}|ả{3}|ấ{3}|ầ{3}|ẩ{3}|ẫ{3}|ậ{3}|ắ{3}|ằ{3}|ẳ{3}|ẵ{3}|ặ{3}|ẹ{3}|ẻ{3}|ẽ{3}|ế{3}|ề{3}|ể{3}|ễ{3}|ệ{3}|ỉ{3}|ị{3}|ọ{3}|ỏ{3}|ố{3}|ồ{3}|ổ{3}|ỗ{3}|ộ{3}|ớ{3}|ờ{3}|ở{3}|ỡ{3}|ợ{3}|ụ{3}|ủ{3}|ứ{3}|ừ{3}|ử{3}|ữ{3}|ự{3}|ỳ{3}|ỵ{3}|ỷ{3}|ỹ{3})';
-- Consonant sounds of more than one letter: CLUSTERS, then doubled consonants.
CREATE OR REPLACE TEMP MACRO lr_gib_units_re() AS '(?:tsch|sch|str|spr|skr|scr|spl|thr|chr|shr|phr|tch|dzh|dzs|zsh|ch|sh|th|ph|gh|kh|zh|wh|ck|ng|sz|cz|rz|dz|ts|tz|bh|dh|jh|pf|dj|lj|nj|gn|sc|bb|cc|dd|ff|gg|hh|jj|kk|ll|mm|nn|pp|qq|rr|ss|tt|vv|ww|xx|zz)';
-- END GENERATED names

-- Rules 1-3 and the exact three-key walk, on a whole first or last name.
CREATE OR REPLACE TEMP MACRO lr_gib_part(p) AS
    regexp_matches(p, '\pN') OR contains(p, '@')
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
-- (libphonenumber metadata, Apache-2.0), for the regions US CA GB IE DE FR NL SE AU IN BR JP ES IT SG ZA PL MX NG CH VN CN.
-- Every country calling code, shortest first (codes are prefix-free).
CREATE OR REPLACE TEMP MACRO lr_phone_cc_re() AS '^(1|7|20|27|30|31|32|33|34|36|39|40|41|43|44|45|46|47|48|49|51|52|53|54|55|56|57|58|60|61|62|63|64|65|66|81|82|84|86|90|91|92|93|94|95|98|211|212|213|216|218|220|221|222|223|224|225|226|227|228|229|230|231|232|233|234|235|236|237|238|239|240|241|242|243|244|245|246|247|248|249|250|251|252|253|254|255|256|257|258|260|261|262|263|264|265|266|267|268|269|290|291|297|298|299|350|351|352|353|354|355|356|357|358|359|370|371|372|373|374|375|376|377|378|380|381|382|383|385|386|387|389|420|421|423|500|501|502|503|504|505|506|507|508|509|590|591|592|593|594|595|596|597|598|599|670|672|673|674|675|676|677|678|679|680|681|682|683|685|686|687|688|689|690|691|692|800|808|850|852|853|855|856|870|878|880|881|882|883|886|888|960|961|962|963|964|965|966|967|968|970|971|972|973|974|975|976|977|979|992|993|994|995|996|998)';
-- The calling code of a region.
CREATE OR REPLACE TEMP MACRO lr_phone_region_cc(region) AS CASE region
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
    WHEN 'AZ' THEN '994'
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
    WHEN 'BZ' THEN '501'
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
    WHEN 'CZ' THEN '420'
    WHEN 'DE' THEN '49'
    WHEN 'DJ' THEN '253'
    WHEN 'DK' THEN '45'
    WHEN 'DM' THEN '1'
    WHEN 'DO' THEN '1'
    WHEN 'DZ' THEN '213'
    WHEN 'EC' THEN '593'
    WHEN 'EE' THEN '372'
    WHEN 'EG' THEN '20'
    WHEN 'EH' THEN '212'
    WHEN 'ER' THEN '291'
    WHEN 'ES' THEN '34'
    WHEN 'ET' THEN '251'
    WHEN 'FI' THEN '358'
    WHEN 'FJ' THEN '679'
    WHEN 'FK' THEN '500'
    WHEN 'FM' THEN '691'
    WHEN 'FO' THEN '298'
    WHEN 'FR' THEN '33'
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
    WHEN 'GY' THEN '592'
    WHEN 'HK' THEN '852'
    WHEN 'HN' THEN '504'
    WHEN 'HR' THEN '385'
    WHEN 'HT' THEN '509'
    WHEN 'HU' THEN '36'
    WHEN 'ID' THEN '62'
    WHEN 'IE' THEN '353'
    WHEN 'IL' THEN '972'
    WHEN 'IM' THEN '44'
    WHEN 'IN' THEN '91'
    WHEN 'IO' THEN '246'
    WHEN 'IQ' THEN '964'
    WHEN 'IR' THEN '98'
    WHEN 'IS' THEN '354'
    WHEN 'IT' THEN '39'
    WHEN 'JE' THEN '44'
    WHEN 'JM' THEN '1'
    WHEN 'JO' THEN '962'
    WHEN 'JP' THEN '81'
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
    WHEN 'KZ' THEN '7'
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
    WHEN 'LY' THEN '218'
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
    WHEN 'MZ' THEN '258'
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
    WHEN 'NZ' THEN '64'
    WHEN 'OM' THEN '968'
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
    WHEN 'PY' THEN '595'
    WHEN 'QA' THEN '974'
    WHEN 'RE' THEN '262'
    WHEN 'RO' THEN '40'
    WHEN 'RS' THEN '381'
    WHEN 'RU' THEN '7'
    WHEN 'RW' THEN '250'
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
    WHEN 'SZ' THEN '268'
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
    WHEN 'TZ' THEN '255'
    WHEN 'UA' THEN '380'
    WHEN 'UG' THEN '256'
    WHEN 'US' THEN '1'
    WHEN 'UY' THEN '598'
    WHEN 'UZ' THEN '998'
    WHEN 'VA' THEN '39'
    WHEN 'VC' THEN '1'
    WHEN 'VE' THEN '58'
    WHEN 'VG' THEN '1'
    WHEN 'VI' THEN '1'
    WHEN 'VN' THEN '84'
    WHEN 'VU' THEN '678'
    WHEN 'WF' THEN '681'
    WHEN 'WS' THEN '685'
    WHEN 'XK' THEN '383'
    WHEN 'YE' THEN '967'
    WHEN 'YT' THEN '262'
    WHEN 'ZA' THEN '27'
    WHEN 'ZM' THEN '260'
    WHEN 'ZW' THEN '263' END;
-- The main region of a calling code (embedded regions only).
CREATE OR REPLACE TEMP MACRO lr_phone_cc_region(cc) AS CASE cc
    WHEN '1' THEN 'US'
    WHEN '234' THEN 'NG'
    WHEN '27' THEN 'ZA'
    WHEN '31' THEN 'NL'
    WHEN '33' THEN 'FR'
    WHEN '34' THEN 'ES'
    WHEN '353' THEN 'IE'
    WHEN '39' THEN 'IT'
    WHEN '41' THEN 'CH'
    WHEN '44' THEN 'GB'
    WHEN '46' THEN 'SE'
    WHEN '48' THEN 'PL'
    WHEN '49' THEN 'DE'
    WHEN '52' THEN 'MX'
    WHEN '55' THEN 'BR'
    WHEN '61' THEN 'AU'
    WHEN '65' THEN 'SG'
    WHEN '81' THEN 'JP'
    WHEN '84' THEN 'VN'
    WHEN '86' THEN 'CN'
    WHEN '91' THEN 'IN' END;
-- The digits after the region's international (IDD) prefix, when the number starts with
-- it and the next digit is not 0 (helper::international_prefix); else NULL.
CREATE OR REPLACE TEMP MACRO lr_phone_after_idd(region, d) AS CASE region
    WHEN 'US' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
    WHEN 'CA' THEN nullif(regexp_extract(d, '^(?:011)([1-9][0-9]*)$', 1), '')
    WHEN 'GB' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'IE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'DE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'FR' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'NL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'SE' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'AU' THEN nullif(regexp_extract(d, '^(?:001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011)([1-9][0-9]*)$', 1), '')
    WHEN 'IN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'BR' THEN nullif(regexp_extract(d, '^(?:00(?:1[245]|2[1-35]|31|4[13]|[56]5|99))([1-9][0-9]*)$', 1), '')
    WHEN 'JP' THEN nullif(regexp_extract(d, '^(?:010)([1-9][0-9]*)$', 1), '')
    WHEN 'ES' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'IT' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'SG' THEN nullif(regexp_extract(d, '^(?:0[0-3]\d)([1-9][0-9]*)$', 1), '')
    WHEN 'ZA' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'PL' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'MX' THEN nullif(regexp_extract(d, '^(?:0[09])([1-9][0-9]*)$', 1), '')
    WHEN 'NG' THEN nullif(regexp_extract(d, '^(?:009)([1-9][0-9]*)$', 1), '')
    WHEN 'CH' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'VN' THEN nullif(regexp_extract(d, '^(?:00)([1-9][0-9]*)$', 1), '')
    WHEN 'CN' THEN nullif(regexp_extract(d, '^(?:00|1(?:[12]\d|79)\d\d00)([1-9][0-9]*)$', 1), '') END;
-- The national number with the national prefix removed the way the phonenumber crate
-- does it: national_prefix_for_parsing (with its transform rule), or else the national
-- prefix; then the national prefix once more when the result still starts with it.
CREATE OR REPLACE TEMP MACRO lr_phone_strip_np1(region, n) AS CASE region
    WHEN 'US' THEN CASE WHEN starts_with(n, '1') THEN substr(n, 2) ELSE n END
    WHEN 'CA' THEN CASE WHEN starts_with(n, '1') THEN substr(n, 2) ELSE n END
    WHEN 'GB' THEN regexp_replace(n, '^(?:0|180020)', '')
    WHEN 'IE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'DE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'FR' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'NL' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'SE' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'AU' THEN regexp_replace(n, '^(?:(183[12])|0)', '')
    WHEN 'IN' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'BR' THEN CASE
        WHEN NOT regexp_matches(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)') THEN n
        WHEN regexp_extract(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)', 2) = '' THEN regexp_replace(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)', '')
        WHEN regexp_matches(n, '^(?:[1-467]\d{9,10}|55[0-46-9]\d{8}|[34]\d{7}|55\d{7,8}|(?:5[0-46-9]|[89]\d)\d{7,9})')
             AND NOT regexp_matches(regexp_replace(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)', '\2'), '^(?:[1-467]\d{9,10}|55[0-46-9]\d{8}|[34]\d{7}|55\d{7,8}|(?:5[0-46-9]|[89]\d)\d{7,9})') THEN n
        ELSE regexp_replace(n, '^(?:(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\d{10,11}))?)', '\2') END
    WHEN 'JP' THEN CASE
        WHEN NOT regexp_matches(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)') THEN n
        WHEN regexp_extract(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)', 1) = '' THEN regexp_replace(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)', '')
        WHEN regexp_matches(n, '^(?:00[1-9]\d{6,14}|[25-9]\d{9}|(?:00|[1-9]\d\d)\d{6})')
             AND NOT regexp_matches(regexp_replace(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)', '\1'), '^(?:00[1-9]\d{6,14}|[25-9]\d{9}|(?:00|[1-9]\d\d)\d{6})') THEN n
        ELSE regexp_replace(n, '^(?:(000[2569]\d{4,6})$|(?:(?:003768)0?)|0)', '\1') END
    WHEN 'ZA' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'NG' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'CH' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'VN' THEN CASE WHEN starts_with(n, '0') THEN substr(n, 2) ELSE n END
    WHEN 'CN' THEN regexp_replace(n, '^(?:(1(?:[12]\d|79)\d\d)|0)', '')
    ELSE n END;
CREATE OR REPLACE TEMP MACRO lr_phone_np(region) AS CASE region
    WHEN 'US' THEN '1'
    WHEN 'CA' THEN '1'
    WHEN 'GB' THEN '0'
    WHEN 'IE' THEN '0'
    WHEN 'DE' THEN '0'
    WHEN 'FR' THEN '0'
    WHEN 'NL' THEN '0'
    WHEN 'SE' THEN '0'
    WHEN 'AU' THEN '0'
    WHEN 'IN' THEN '0'
    WHEN 'BR' THEN '0'
    WHEN 'JP' THEN '0'
    WHEN 'ZA' THEN '0'
    WHEN 'NG' THEN '0'
    WHEN 'CH' THEN '0'
    WHEN 'VN' THEN '0'
    WHEN 'CN' THEN '0' END;
-- validator::is_valid: the national number matches the region's general pattern and one
-- of its number types (pattern matched from the first digit, length among the type's
-- possible lengths). A code shared by several regions accepts a number valid in any.
CREATE OR REPLACE TEMP MACRO lr_phone_nsn_valid(cc, n) AS CASE cc
    WHEN '61' THEN -- AU
        (regexp_matches(n, '^(?:1(?:[0-79]\d{7}(?:\d(?:\d{2})?)?|8[0-24-9]\d{7})|[2-478]\d{8}|1\d{4,7})')
            AND ((length(n) IN (10) AND regexp_matches(n, '^(?:190[0-26]\d{6})')) OR (length(n) IN (7, 10) AND regexp_matches(n, '^(?:180(?:0\d{3}|2)\d{3})')) OR (length(n) IN (6, 8, 10, 12) AND regexp_matches(n, '^(?:13(?:00\d{6}(?:\d{2})?|45[0-4]\d{3})|13\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:14(?:5(?:1[0458]|[23][458])|71\d)\d{4})')) OR (length(n) IN (5, 6, 7, 8, 9) AND regexp_matches(n, '^(?:163\d{2,6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:(?:241|349)0\d\d|8(?:51(?:0(?:0[03-9]|[12479]\d|3[2-9]|5[0-8]|6[1-9]|8[0-7])|1(?:[0235689]\d|1[0-69]|4[0-589]|7[0-47-9])|2(?:0[0-79]|[18][13579]|2[14-9]|3[0-46-9]|[4-6]\d|7[89]|9[0-4])|[34]\d\d)|91(?:(?:[0-58]\d|6[0135-9])\d|7(?:0[0-24-9]|[1-9]\d)|9(?:[0-46-9]\d|5[0-79]))))\d{3}|(?:2(?:[0-26-9]\d|3[0-8]|4[02-9]|5[0135-9])|3(?:[0-3589]\d|4[0-578]|6[1-9]|7[0-35-9])|7(?:[013-57-9]\d|2[0-8])|8(?:55|6[0-8]|[78]\d|9[02-9]))\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:4(?:79[01]|83[0-36-9]|95[0-3])\d{5}|4(?:[0-36]\d|4[047-9]|[58][0-24-9]|7[02-8]|9[0-47-9])\d{6})'))))
    WHEN '55' THEN -- BR
        (regexp_matches(n, '^(?:[1-467]\d{9,10}|55[0-46-9]\d{8}|[34]\d{7}|55\d{7,8}|(?:5[0-46-9]|[89]\d)\d{7,9})')
            AND ((length(n) IN (9, 10) AND regexp_matches(n, '^(?:[59]00\d{6,7})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:800\d{6,7})')) OR (length(n) IN (8, 10) AND regexp_matches(n, '^(?:(?:30[03]\d{3}|4(?:0(?:0\d|20)|370|864))\d{4}|300\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])[2-5]\d{7})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])(?:7|9\d)\d{7})'))))
    WHEN '1' THEN -- CA US
        (regexp_matches(n, '^(?:[2-9]\d{9}|3\d{6})')
            AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:600[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|(?:5(?:2[125-9]|3[23]|44|66|77|88)|6(?:22|33))[2-9]\d{6})')) OR (length(n) IN (7) AND regexp_matches(n, '^(?:310\d{4})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:04|[23]6|[48]9|5[07]|63)|3(?:06|43|54|6[578]|82)|4(?:03|1[68]|[26]8|3[178]|50|74)|5(?:06|1[49]|48|79|8[147])|6(?:04|[18]3|39|47|72)|7(?:0[59]|42|53|78|8[02])|8(?:[06]7|19|25|7[39])|9(?:0[25]|42))[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:04|[23]6|[48]9|5[07]|63)|3(?:06|43|54|6[578]|82)|4(?:03|1[68]|[26]8|3[178]|50|74)|5(?:06|1[49]|48|79|8[147])|6(?:04|[18]3|39|47|72)|7(?:0[59]|42|53|78|8[02])|8(?:[06]7|19|25|7[39])|9(?:0[25]|42))[2-9]\d{6})'))))
        OR (regexp_matches(n, '^(?:[2-9]\d{9}|3\d{6})')
            AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|33|44|55|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:52(?:3(?:[2-46-9][02-9]\d|5(?:[02-46-9]\d|5[0-46-9]))|4(?:[2-478][02-9]\d|5(?:[034]\d|2[024-9]|5[0-46-9])|6(?:0[1-9]|[2-9]\d)|9(?:[05-9]\d|2[0-5]|49)))\d{4}|52[34][2-9]1[02-9]\d{4}|5(?:00|2[125-9]|3[23]|44|66|77|88)[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:274[27]|(?:472|983)[2-47-9])\d{6}|(?:2(?:0[1-35-9]|1[02-9]|2[03-57-9]|3[1459]|4[08]|5[1-46]|6[0279]|7[0269]|8[13])|3(?:0[1-57-9]|1[02-9]|2[013-79]|3[0-24679]|4[167]|5[0-3]|6[01349]|8[056])|4(?:0[124-9]|1[02-579]|2[3-5]|3[0245]|4[023578]|58|6[349]|7[0589]|8[04])|5(?:0[1-57-9]|1[0235-8]|20|3[0149]|4[01]|5[179]|6[1-47]|7[0-5]|8[0256])|6(?:0[1-35-9]|1[024-9]|2[03689]|3[016]|4[0156]|5[01679]|6[0-279]|78|8[0-269])|7(?:0[1-46-8]|1[2-9]|2[04-8]|3[0-2478]|4[0378]|5[47]|6[02359]|7[0-59]|8[156])|8(?:0[1-68]|1[02-8]|2[0168]|3[0-2589]|4[03578]|5[046-9]|6[02-5]|7[028])|9(?:0[1346-9]|1[02-9]|2[0589]|3[0146-8]|4[01357-9]|5[12469]|7[0-3589]|8[04-69]))[2-9]\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:274[27]|(?:472|983)[2-47-9])\d{6}|(?:2(?:0[1-35-9]|1[02-9]|2[03-57-9]|3[1459]|4[08]|5[1-46]|6[0279]|7[0269]|8[13])|3(?:0[1-57-9]|1[02-9]|2[013-79]|3[0-24679]|4[167]|5[0-3]|6[01349]|8[056])|4(?:0[124-9]|1[02-579]|2[3-5]|3[0245]|4[023578]|58|6[349]|7[0589]|8[04])|5(?:0[1-57-9]|1[0235-8]|20|3[0149]|4[01]|5[179]|6[1-47]|7[0-5]|8[0256])|6(?:0[1-35-9]|1[024-9]|2[03689]|3[016]|4[0156]|5[01679]|6[0-279]|78|8[0-269])|7(?:0[1-46-8]|1[2-9]|2[04-8]|3[0-2478]|4[0378]|5[47]|6[02359]|7[0-59]|8[156])|8(?:0[1-68]|1[02-8]|2[0168]|3[0-2589]|4[03578]|5[046-9]|6[02-5]|7[028])|9(?:0[1346-9]|1[02-9]|2[0589]|3[0146-8]|4[01357-9]|5[12469]|7[0-3589]|8[04-69]))[2-9]\d{6})'))))
    WHEN '41' THEN -- CH
        (regexp_matches(n, '^(?:8\d{11}|[2-9]\d{8})')
            AND ((length(n) IN (9) AND regexp_matches(n, '^(?:90[016]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:800\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:84[0248]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:878\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:74[0248]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:5[18]\d{7})')) OR (length(n) IN (12) AND regexp_matches(n, '^(?:860\d{9})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:2[12467]|3[1-4]|4[134]|5[256]|6[12]|[7-9]1)\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:6[89]|7[235-9])\d{7})'))))
    WHEN '86' THEN -- CN
        (regexp_matches(n, '^(?:(?:(?:1[03-689]|2\d)\d\d|6)\d{8}|1\d{10}|[126]\d{6}(?:\d(?:\d{2})?)?|86\d{5,6}|(?:[3-579]\d|8[0-57-9])\d{5,9})')
            AND ((length(n) IN (8) AND regexp_matches(n, '^(?:16[08]\d{5})')) OR (length(n) IN (10, 12) AND regexp_matches(n, '^(?:(?:(?:10|21)8|8)00\d{7})')) OR (length(n) IN (7, 8, 9, 10, 11) AND regexp_matches(n, '^(?:10(?:10\d{4}|96\d{3,4})|400\d{7}|950\d{7,8}|(?:2[0-57-9]|3(?:[157]\d|35|49|9[1-68])|4(?:[17]\d|2[179]|[35][1-9]|6[47-9]|8[23])|5(?:[1357]\d|2[37]|4[36]|6[1-46]|80|9[1-9])|6(?:3[1-5]|6[0238]|9[12])|7(?:01|[1579]\d|2[248]|3[014-9]|4[3-6]|6[023689])|8(?:1[236-8]|2[5-7]|[37]\d|5[14-9]|8[36-8]|9[1-8])|9(?:0[1-3689]|1[1-79]|[379]\d|4[13]|5[1-5]))96\d{3,4})')) OR (length(n) IN (7, 8, 9, 10, 11) AND regexp_matches(n, '^(?:(?:10(?:[02-79]\d\d|[18](?:0[1-9]|[1-9]\d))|2(?:[02-57-9]\d{3}|1(?:[18](?:0[1-9]|[1-9]\d)|[2-79]\d\d))|(?:41[03]|8078|9(?:78|94))\d\d)\d{5}|(?:10|2[0-57-9])(?:1(?:00|23)\d\d|95\d{3,4})|(?:41[03]|9(?:78|94))(?:100\d\d|95\d{3,4})|8078123|(?:43[35]|754|851)\d{7,8}|(?:43[35]|754|851)(?:1(?:00\d|23)\d|95\d{3,4})|(?:3(?:11|7[179])|4(?:[15]1|3[12])|5(?:1\d|2[37]|3[12]|51|7[13-79]|9[15])|7(?:[39]1|5[57]|6[09])|8(?:71|98))(?:[02-8]\d{7}|1(?:0(?:0\d\d(?:\d{3})?|[1-9]\d{5})|[13-9]\d{6}|2(?:[0-24-9]\d{5}|3\d(?:\d{4})?))|9(?:[0-46-9]\d{6}|5\d{3}(?:\d(?:\d{2})?)?))|(?:3(?:1[02-9]|35|49|5\d|7[02-68]|9[1-68])|4(?:1[24-9]|2[179]|3[46-9]|5[2-9]|6[47-9]|7\d|8[23])|5(?:3[03-9]|4[36]|5[02-9]|6[1-46]|7[028]|80|9[2-46-9])|6(?:3[1-5]|6[0238]|9[12])|7(?:01|[17]\d|2[248]|3[04-9]|4[3-6]|5[0-3689]|6[2368]|9[02-9])|8(?:1[236-8]|2[5-7]|3\d|5[2-9]|7[02-9]|8[36-8]|9[1-7])|9(?:0[1-3689]|1[1-79]|3\d|4[13]|5[1-5]|7[0-79]|9[0-35-9]))(?:[02-8]\d{6}|1(?:0(?:0\d\d(?:\d{2})?|[1-9]\d{4})|[13-9]\d{5}|2(?:[0-24-9]\d{4}|3\d(?:\d{3})?))|9(?:[0-46-9]\d{5}|5\d{3,5})))')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8})'))))
    WHEN '49' THEN -- DE
        (regexp_matches(n, '^(?:[2579]\d{5,14}|49(?:[34]0|69|8\d)\d\d?|49(?:37|49|60|7[089]|9\d)\d{1,3}|49(?:2[024-9]|3[2-689]|7[1-7])\d{1,8}|(?:1|[368]\d|4[0-8])\d{3,13}|49(?:[015]\d|2[13]|31|[46][1-8])\d{1,9})')
            AND ((length(n) IN (10, 11) AND regexp_matches(n, '^(?:(?:137[7-9]|900(?:[135]|9\d))\d{6})')) OR (length(n) IN (10, 11, 12, 13, 14, 15) AND regexp_matches(n, '^(?:800\d{7,12})')) OR (length(n) IN (7, 8, 9, 10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:180\d{5,11}|13(?:7[1-6]\d\d|8)\d{4})')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:700\d{8})')) OR (length(n) IN (4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:16(?:4\d{1,10}|[89]\d{1,11}))')) OR (length(n) IN (8, 9, 10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:18(?:1\d{5,11}|[2-9]\d{8}))')) OR (length(n) IN (12, 13) AND regexp_matches(n, '^(?:1(?:6(?:013|255|399)|7(?:(?:[015]1|[69]3)3|[2-4]55|[78]99))\d{7,8}|15(?:(?:[03-68]00|113)\d|2\d55|7\d99|9\d33)\d{7})')) OR (length(n) IN (5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) AND regexp_matches(n, '^(?:32\d{9,11}|49[1-6]\d{10}|322\d{6}|49[0-7]\d{3,9}|(?:[34]0|[68]9)\d{3,13}|(?:2(?:0[1-689]|[1-3569]\d|4[0-8]|7[1-7]|8[0-7])|3(?:[3569]\d|4[0-79]|7[1-7]|8[1-8])|4(?:1[02-9]|[2-48]\d|5[0-6]|6[0-8]|7[0-79])|5(?:0[2-8]|[124-6]\d|[38][0-8]|[79][0-7])|6(?:0[02-9]|[1-358]\d|[47][0-8]|6[1-9])|7(?:0[2-8]|1[1-9]|[27][0-7]|3\d|[4-6][0-8]|8[0-5]|9[013-7])|8(?:0[2-9]|1[0-79]|2\d|3[0-46-9]|4[0-6]|5[013-9]|6[1-8]|7[0-8]|8[0-24-6])|9(?:0[6-9]|[1-4]\d|[589][0-7]|6[0-8]|7[0-467]))\d{3,12})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:1(?:6[023]|7\d)\d{7,8}|15(?:[0-25-9]\d\d|3(?:10|33))\d{6})'))))
    WHEN '34' THEN -- ES
        (regexp_matches(n, '^(?:[5-9]\d{8})')
            AND ((length(n) IN (9) AND regexp_matches(n, '^(?:80[367]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:[89]00\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:90[12]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:70\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:51\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:96906(?:0[0-8]|1[1-9]|[2-9]\d)\d\d|9(?:69(?:0[0-57-9]|[1-9]\d)|73(?:[0-8]\d|9[1-9]))\d{4}|(?:8(?:[1356]\d|[28][0-8]|[47][1-9])|9(?:[135]\d|[268][0-8]|4[1-9]|7[124-9]))\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:96906(?:09|10)\d\d|(?:590(?:10[0-2]|600)|97390\d)\d{3}|(?:6\d|7[1-48])\d{7})'))))
    WHEN '33' THEN -- FR
        (regexp_matches(n, '^(?:[1-9]\d{8})')
            AND ((length(n) IN (9) AND regexp_matches(n, '^(?:836(?:0[0-36-9]|[1-9]\d)\d{4}|8(?:1[2-9]|2[2-47-9]|3[0-57-9]|[569]\d|8[0-35-9])\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[0-5]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8(?:1[01]|2[0156]|4[024]|84)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:9\d{8})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80[6-9]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:26[013-9]|59[1-35-9])\d{6}|(?:[13]\d|2[0-57-9]|4[1-9]|5[0-8])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:6(?:[0-24-8]\d|3[0-8]|9[589])|7[3-9]\d)\d{6})'))))
    WHEN '44' THEN -- GB
        (regexp_matches(n, '^(?:[1-357-9]\d{9}|[18]\d{8}|8\d{6})')
            AND ((length(n) IN (7, 10) AND regexp_matches(n, '^(?:(?:8(?:4[2-5]|7[0-3])|9(?:[01]\d|8[2-49]))\d{7}|845464\d)')) OR (length(n) IN (7, 9, 10) AND regexp_matches(n, '^(?:80[08]\d{7}|800\d{6}|8001111)')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:56\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:70\d{8})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:76(?:464|652)\d{5}|76(?:0[0-28]|2[356]|34|4[01347]|5[49]|6[0-369]|77|8[14]|9[139])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:3[0347]|55)\d{8})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:(?:1(?:1(?:3(?:[0-58]\d\d|73[0-5])|4(?:(?:[0-5]\d|70)\d|69[7-9])|(?:(?:5[0-26-9]|[78][0-49])\d|6(?:[0-4]\d|5[01]))\d)|(?:2(?:(?:0[024-9]|2[3-9]|3[3-79]|4[1-689]|[58][02-9]|6[0-47-9]|7[013-9]|9\d)\d|1(?:[0-7]\d|8[0-3]))|(?:3(?:0\d|1[0-8]|[25][02-9]|3[02-579]|[468][0-46-9]|7[1-35-79]|9[2-578])|4(?:0[03-9]|[137]\d|[28][02-57-9]|4[02-69]|5[0-8]|[69][0-79])|5(?:0[1-35-9]|[16]\d|2[024-9]|3[015689]|4[02-9]|5[03-9]|7[0-35-9]|8[0-468]|9[0-57-9])|6(?:0[034689]|1\d|2[0-35689]|[38][013-9]|4[1-467]|5[0-69]|6[13-9]|7[0-8]|9[0-24578])|7(?:0[0246-9]|2\d|3[0236-8]|4[03-9]|5[0-46-9]|6[013-9]|7[0-35-9]|8[024-9]|9[02-9])|8(?:0[35-9]|2[1-57-9]|3[02-578]|4[0-578]|5[124-9]|6[2-69]|7\d|8[02-9]|9[02569])|9(?:0[02-589]|[18]\d|2[02-689]|3[1-57-9]|4[2-9]|5[0-579]|6[2-47-9]|7[0-24578]|9[2-57]))\d)\d)|2(?:0[013478]|3[0189]|4[017]|8[0-46-9]|9[0-2])\d{3})\d{4}|1(?:2(?:0(?:46[1-4]|87[2-9])|545[1-79]|76(?:2\d|3[1-8]|6[1-6])|9(?:7(?:2[0-4]|3[2-5])|8(?:2[2-8]|7[0-47-9]|8[3-5])))|3(?:6(?:38[2-5]|47[23])|8(?:47[04-9]|64[0157-9]))|4(?:044[1-7]|20(?:2[23]|8\d)|6(?:0(?:30|5[2-57]|6[1-8]|7[2-8])|140)|8(?:052|87[1-3]))|5(?:2(?:4(?:3[2-79]|6\d)|76\d)|6(?:26[06-9]|686))|6(?:06(?:4\d|7[4-79])|295[5-7]|35[34]\d|47(?:24|61)|59(?:5[08]|6[67]|74)|9(?:55[0-4]|77[23]))|7(?:26(?:6[13-9]|7[0-7])|(?:442|688)\d|50(?:2[0-3]|[3-68]2|76))|8(?:27[56]\d|37(?:5[2-5]|8[239])|843[2-58])|9(?:0(?:0(?:6[1-8]|85)|52\d)|3583|4(?:66[1-8]|9(?:2[01]|81))|63(?:23|3[1-4])|9561))\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:7(?:457[0-57-9]|700[01]|911[028])\d{5}|7(?:[1-3]\d\d|4(?:[0-46-9]\d|5[0-689])|5(?:0[0-8]|[13-9]\d|2[0-35-9])|7(?:0[1-9]|[1-7]\d|8[02-9]|9[0-689])|8(?:[014-9]\d|[23][0-8])|9(?:[024-9]\d|1[02-9]|3[0-689]))\d{6})'))))
    WHEN '353' THEN -- IE
        (regexp_matches(n, '^(?:(?:1\d|[2569])\d{6,8}|4\d{6,9}|7\d{8}|8\d{8,9})')
            AND ((length(n) IN (10) AND regexp_matches(n, '^(?:15(?:1[2-8]|[2-8]0|9[089])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:1800\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:18[59]0\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:76\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:700\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:818\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:88210[1-9]\d{4}|8(?:[35-79]5\d\d|8(?:[013-9]\d\d|2(?:[01][1-9]|[2-9]\d)))\d{5})')) OR (length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:(?:1\d|21)\d{6,7}|(?:2[24-9]|4(?:0[24]|5\d|7)|5(?:0[45]|1\d|8)|6(?:1\d|[237-9])|9(?:1\d|[35-9]))\d{5}|(?:23|4(?:[1-469]|8\d)|5[23679]|6[4-6]|7[14]|9[04])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:8(?:22|[35-9]\d)\d{6})'))))
    WHEN '91' THEN -- IN
        (regexp_matches(n, '^(?:(?:000800|[2-9]\d\d)\d{7}|1\d{7,12})')
            AND ((length(n) IN (13) AND regexp_matches(n, '^(?:186[12]\d{9})')) OR (length(n) IN (8, 9, 10, 11, 12, 13) AND regexp_matches(n, '^(?:000800\d{7}|180(?:0\d{4,9}|3\d{9}))')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:1860\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:140\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2717(?:[2-7]\d|95)|6828[235-7]\d)\d{4}|(?:170[24]|280[13468]|4(?:20[24]|72[2-8])|552[1-7])\d{6}|(?:271[0-689]|682[0-79]|782[0-6])[2-7]\d{5}|(?:2(?:[02][2-79]|90)|3(?:23|80)|683|79[1-7])\d{7}|(?:11|33|4[04]|80)[2-7]\d{7}|(?:342|674|788)(?:[0189][2-7]|[2-7]\d)\d{5}|(?:1(?:2[0-249]|3[0-25]|4[145]|[59][14]|6[014]|7[1257]|8[01346])|2(?:1[257]|3[013]|4[01]|5[0137]|6[0158]|78|8[1568]|9[14])|3(?:26|4[13]|5[34]|6[01489]|7[02-46]|8[159])|4(?:1[36]|2[1-47]|3[15]|5[12]|6[0-26-9]|7[014-9]|8[013-57]|9[014-7])|5(?:1[025]|22|[36][25]|4[28]|[578]1|9[15])|6(?:12|[2-47]1|5[17]|6[13]|80)|7(?:12|2[14]|3[134]|4[47]|5[15]|[67]1)|8(?:16|2[014]|3[126]|6[136]|7[078]|8[34]|91))[2-7]\d{6}|(?:1(?:2[35-8]|3[346-9]|4[236-9]|[59][0235-9]|6[235-9]|7[34689]|8[257-9])|2(?:1[134689]|3[24-8]|4[2-8]|5[25689]|6[2-4679]|7[3-79]|8[2-479]|9[235-9])|3(?:01|1[79]|2[1245]|4[5-8]|5[125689]|6[235-7]|7[157-9]|8[2-46-8])|4(?:1[14578]|2[5689]|3[2-467]|5[4-7]|6[35]|73|8[2689]|9[2389])|5(?:[16][146-9]|2[14-8]|3[1346]|4[14-69]|5[46]|7[2-4]|8[2-8]|9[246])|6(?:1[1358]|2[2457]|3[2-4]|4[235-7]|5[2-689]|6[24578]|7[235689]|8[14-6])|7(?:1[013-9]|2[0235-9]|3[2679]|4[1-35689]|5[2-46-9]|[67][02-9]|8[013-7]|9[089])|8(?:1[1357-9]|2[235-8]|3[03-57-9]|4[0-24-9]|5\d|6[2457-9]|7[1-6]|8[1256]|9[2-4]))\d[2-7]\d{5})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:6(?:1279|828[01489])|7(?:887[02-9]|9(?:313|79[07-9]))|8(?:079[04-9]|(?:84|91)7[02-8]))\d{5}|(?:160[01]|6(?:(?:12|[2-4]1|5[17]|6[13]|80)[0189]|7(?:1[0189]|86))|7(?:1(?:2[0189]|9[0-5])|3(?:2[5-8]|[34][017-9]|9[016-9])|5(?:[15][017-9]|2[04-9]|9[7-9])|6(?:0[0-47]|1[0-257-9]|2[0-4]|3[19]|5[4589])|70[0289]|88[089]|97[02-8])|8(?:0(?:6[67]|7[02-8])|70[017-9]|84[01489]|91[0-289]))\d{6}|(?:731|8(?:16|2[014]|3[126]|6[136]|7[78]|83))(?:[0189]\d|7[02-8])\d{5}|(?:6(?:(?:1[1358]|2[2457]|3[2-4]|4[235-7]|5[2-689]|6[24578])\d|7(?:[23569]\d|4[0189]|8[0-57-9])|8(?:[14-6]\d|2[0-79]))|7(?:1(?:[013-8]\d|9[6-9])|3(?:2[0-49]|9[2-5])|5(?:2[1-3]|9[0-6])|6(?:0[5689]|2[5-9]|3[02-8]|4\d|5[0-367])|70[13-7]|881))[0189]\d{5}|(?:6(?:[09]\d|1[04679]|2[03689]|3[05-9]|4[0489]|50|6[069]|7[07]|8[7-9])|7(?:[024]\d|3[05-8]|5[0346-8]|6[6-9]|7[1-9]|8[0-79]|9[089])|8(?:0[01589]|1[0-57-9]|2[235-9]|3[03-57-9]|[45]\d|6[02457-9]|7[1-69]|8[0-25-9]|9[02-9])|9\d\d)\d{7})'))))
    WHEN '39' THEN -- IT
        (regexp_matches(n, '^(?:0\d{5,11}|1\d{8,10}|3(?:[0-8]\d{7,10}|9\d{7,8})|(?:43|55|70)\d{8}|8\d{5}(?:\d{2,4})?)')
            AND ((length(n) IN (6, 8, 9, 10) AND regexp_matches(n, '^(?:(?:0878\d{3}|89(?:2\d|3[04]|4(?:[0-4]|[5-9]\d\d)|5[0-4]))\d\d|(?:1(?:44|6[346])|89(?:38|5[5-9]|9))\d{6})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:80(?:0\d{3}|3)\d{3})')) OR (length(n) IN (6, 9) AND regexp_matches(n, '^(?:84(?:[08]\d{3}|[17])\d{3})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:55\d{8})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:1(?:78\d|99)\d{6})')) OR (length(n) IN (11, 12) AND regexp_matches(n, '^(?:3[2-8]\d{9,10})')) OR (length(n) IN (6, 7, 8, 9, 10, 11, 12) AND regexp_matches(n, '^(?:0(?:669[0-79]\d{1,6}|831\d{2,8})|0(?:1(?:[0159]\d|[27][1-5]|31|4[1-4]|6[1356]|8[2-57])|2\d\d|3(?:[0159]\d|2[1-4]|3[12]|[48][1-6]|6[2-59]|7[1-7])|4(?:[0159]\d|[23][1-9]|4[245]|6[1-5]|7[1-4]|81)|5(?:[0159]\d|2[1-5]|3[2-6]|4[1-79]|6[4-6]|7[1-578]|8[3-8])|6(?:[0-57-9]\d|6[0-8])|7(?:[0159]\d|2[12]|3[1-7]|4[2-46]|6[13569]|7[13-6]|8[1-59])|8(?:[0159]\d|2[3-578]|3[2356]|[6-8][1-5])|9(?:[0159]\d|[238][1-5]|4[12]|6[1-8]|7[1-6]))\d{2,7})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:3[2-9]\d{7,8}|(?:31|43)\d{8})'))))
    WHEN '81' THEN -- JP
        (regexp_matches(n, '^(?:00[1-9]\d{6,14}|[25-9]\d{9}|(?:00|[1-9]\d\d)\d{6})')
            AND ((length(n) IN (9) AND regexp_matches(n, '^(?:990\d{6})')) OR (length(n) IN (8, 9, 10, 11, 12, 13, 14, 15, 16, 17) AND regexp_matches(n, '^(?:00777(?:[01]|5\d)\d\d|(?:00(?:7778|882[1245])|(?:120|800\d)\d\d)\d{4}|00(?:37|66|78)\d{6,13})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:50[1-9]\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:60\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:20\d{8})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:570\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:1(?:1[235-8]|2[3-6]|3[3-9]|4[2-6]|[58][2-8]|6[2-7]|7[2-9]|9[1-9])|(?:2[2-9]|[36][1-9])\d|4(?:[2-578]\d|6[02-8]|9[2-59])|5(?:[2-589]\d|6[1-9]|7[2-8])|7(?:[25-9]\d|3[4-9]|4[02-9])|8(?:[2679]\d|3[2-9]|4[5-9]|5[1-9]|8[03-9])|9(?:[2-58]\d|[679][1-9]))\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:[6-9]0[1-9]\d{7})'))))
    WHEN '52' THEN -- MX
        (regexp_matches(n, '^(?:[2-9]\d{9})')
            AND ((length(n) IN (10) AND regexp_matches(n, '^(?:900\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:8(?:00|88)\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:300\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:500\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:0[01]|2\d|3[1-35-8]|4[13-9]|7[1-689]|8[1-578]|9[467])|3(?:1[1-79]|[2458][1-9]|3\d|7[1-8]|9[1-5])|4(?:1[1-57-9]|[267][1-9]|3[1-8]|[45]\d|8[1-35-9]|9[2-689])|5(?:[56]\d|88|9[1-79])|6(?:1[2-68]|[2-4][1-9]|5[1-36-9]|6[0-57-9]|7[1-7]|8[67]|9[4-8])|7(?:[1346][1-9]|[27]\d|5[13-9]|8[1-69]|9[17])|8(?:1\d|2[13-689]|3[1-6]|4[124-6]|6[1246-9]|7[0-378]|9[12479])|9(?:1[346-9]|2[1-4]|3[2-46-8]|5[1348]|[69]\d|7[12]|8[1-8]))\d{7})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:2(?:2\d|3[1-35-8]|4[13-9]|7[1-689]|8[1-578]|9[467])|3(?:1[1-79]|[2458][1-9]|3\d|7[1-8]|9[1-5])|4(?:1[1-57-9]|[267][1-9]|3[1-8]|[45]\d|8[1-35-9]|9[2-689])|5(?:[56]\d|88|9[1-79])|6(?:1[2-68]|[2-4][1-9]|5[1-36-9]|6[0-57-9]|7[1-7]|8[67]|9[4-8])|7(?:[1346][1-9]|[27]\d|5[13-9]|8[1-69]|9[17])|8(?:1\d|2[13-689]|3[1-6]|4[124-6]|6[1246-9]|7[0-378]|9[12479])|9(?:1[346-9]|2[1-4]|3[2-46-8]|5[1348]|[69]\d|7[12]|8[1-8]))\d{7})'))))
    WHEN '234' THEN -- NG
        (regexp_matches(n, '^(?:(?:20|9\d)\d{8}|[78]\d{9,13})')
            AND ((length(n) IN (10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:800\d{7,11})')) OR (length(n) IN (10, 11, 12, 13, 14) AND regexp_matches(n, '^(?:700\d{7,11})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:20(?:[1259]\d|3[013-9]|4[1-8]|6[024-689]|7[1-79]|8[2-9])\d{6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:(?:702[0-24-9]|819[01])\d{6}|(?:7(?:0[13-9]|[12]\d)|8(?:0[1-9]|1[0-8])|9(?:0[1-9]|1[1-6]))\d{7})'))))
    WHEN '31' THEN -- NL
        (regexp_matches(n, '^(?:(?:[124-7]\d\d|3(?:[02-9]\d|1[0-8]))\d{6}|8\d{6,9}|9\d{6,10}|1\d{4,5})')
            AND ((length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:90[069]\d{4,7})')) OR (length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:800\d{4,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:85|91)\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:66\d{7})')) OR (length(n) IN (5, 6, 9) AND regexp_matches(n, '^(?:140(?:1[035]|2[0346]|3[03568]|4[0356]|5[0358]|8[458])|(?:140(?:1[16-8]|2[259]|3[124]|4[17-9]|5[124679]|7)|8[478]\d{6})\d)')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:1(?:[035]\d|1[13-578]|6[124-8]|7[24]|8[0-467])|2(?:[0346]\d|2[2-46-9]|5[125]|9[479])|3(?:[03568]\d|1[3-8]|2[01]|4[1-8])|4(?:[0356]\d|1[1-368]|7[58]|8[15-8]|9[23579])|5(?:[0358]\d|[19][1-9]|2[1-57-9]|4[13-8]|6[126]|7[0-3578])|7\d\d)\d{6})')) OR (length(n) IN (9, 11) AND regexp_matches(n, '^(?:(?:6[1-58]|970\d)\d{7})'))))
    WHEN '48' THEN -- PL
        (regexp_matches(n, '^(?:(?:6|8\d\d)\d{7}|[1-9]\d{6}(?:\d{2})?|[26]\d{5})')
            AND ((length(n) IN (9) AND regexp_matches(n, '^(?:70[01346-8]\d{6})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:800\d{6,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:801\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:39\d{7})')) OR (length(n) IN (6, 7, 8, 9) AND regexp_matches(n, '^(?:64\d{4,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:804\d{6})')) OR (length(n) IN (7, 9) AND regexp_matches(n, '^(?:(?:30|47\d\d)\d{5}|(?:1[2-8]|2[2-69]|3[2-4]|4[1-468]|5[24-689]|6[1-3578]|7[14-7]|8[1-79]|9[145])(?:[02-9]\d{6}|1(?:[0-8]\d{5}|9\d{3}(?:\d{2})?)))')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:21(?:1[013-5]|2\d|3[1-9])\d{5}|(?:45|5[0137]|6[069]|7[2389]|88)\d{7})'))))
    WHEN '46' THEN -- SE
        (regexp_matches(n, '^(?:(?:[26]\d\d|9)\d{9}|[1-9]\d{8}|[1-689]\d{7}|[1-4689]\d{6}|2\d{5})')
            AND ((length(n) IN (7, 8, 9, 10) AND regexp_matches(n, '^(?:649\d{6}|99[1-59]\d{4}(?:\d{3})?|9(?:00|39|44)[1-8]\d{3,6})')) OR (length(n) IN (6, 7, 8, 9) AND regexp_matches(n, '^(?:20\d{4,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:77[0-7]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:75[1-8]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:74[02-9]\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:10[1-8]\d{6})')) OR (length(n) IN (12) AND regexp_matches(n, '^(?:(?:25[245]|67[3-68])\d{9})')) OR (length(n) IN (7, 8, 9) AND regexp_matches(n, '^(?:(?:(?:[12][136]|3[356]|4[0246]|6[03]|8\d)\d|90[1-9])\d{4,6}|(?:1(?:2[0-35]|4[0-4]|5[0-25-9]|7[13-6]|[89]\d)|2(?:2[0-7]|4[0136-8]|5[0138]|7[018]|8[01]|9[0-57])|3(?:0[0-4]|1\d|2[0-25]|4[056]|7[0-2]|8[0-3]|9[023])|4(?:1[013-8]|3[0135]|5[14-79]|7[0-246-9]|8[0156]|9[0-689])|5(?:0[0-6]|[15][0-5]|2[0-68]|3[0-4]|4\d|6[03-5]|7[013]|8[0-79]|9[01])|6(?:1[1-3]|2[0-4]|4[02-57]|5[0-37]|6[0-3]|7[0-2]|8[0247]|9[0-356])|9(?:1[0-68]|2\d|3[02-5]|4[0-3]|5[0-4]|[68][01]|7[0135-8]))\d{5,6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:7[02369]\d{7})'))))
    WHEN '65' THEN -- SG
        (regexp_matches(n, '^(?:(?:(?:1\d|8)\d\d|7000)\d{7}|[3689]\d{7})')
            AND ((length(n) IN (11) AND regexp_matches(n, '^(?:1900\d{7})')) OR (length(n) IN (10, 11) AND regexp_matches(n, '^(?:(?:18|8)00\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:(?:3[12]\d|666)\d{5})')) OR (length(n) IN (11) AND regexp_matches(n, '^(?:7000\d{7})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:662[0-24-9]\d{4}|6(?:[0-578]\d|6[013-57-9]|9[0-35-9])\d{5})')) OR (length(n) IN (8) AND regexp_matches(n, '^(?:80[1-9]\d{5}|(?:8[1-9]|9[0-8])\d{6})'))))
    WHEN '84' THEN -- VN
        (regexp_matches(n, '^(?:[12]\d{9}|[135-9]\d{8}|[16]\d{6,7}|7\d{6})')
            AND ((length(n) IN (8, 9, 10) AND regexp_matches(n, '^(?:1900\d{4,6})')) OR (length(n) IN (8, 9, 10) AND regexp_matches(n, '^(?:1800\d{4,6}|12(?:0[13]|28)\d{4})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:672\d{6})')) OR (length(n) IN (7, 8) AND regexp_matches(n, '^(?:[17]99\d{4}|69\d{5,6})')) OR (length(n) IN (10) AND regexp_matches(n, '^(?:2(?:0[3-9]|1[0-689]|2[0-25-9]|[38][2-9]|4[2-8]|5[124-9]|6[0-39]|7[0-7]|9[0-4679])\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:121[0-3]\d{5}|(?:160|(?:3\d|7[06-9])\d|5(?:[1689]\d|2[238]|59)|8(?:[1-8]\d|9[6-9])|9(?:[0-8]\d|9[013-9]))\d{6})'))))
    WHEN '27' THEN -- ZA
        (regexp_matches(n, '^(?:[1-79]\d{8}|8\d{4,9})')
            AND ((length(n) IN (9) AND regexp_matches(n, '^(?:(?:86[2-9]|9[0-2]\d)\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:80\d{7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:860\d{6})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:87(?:08[0-589]|15[0-79]|28[0-4]|31[1-9])\d{4}|87(?:[02][0-79]|1[0-46-9]|3[02-9]|[4-9]\d)\d{5})')) OR (length(n) IN (9, 10) AND regexp_matches(n, '^(?:861\d{6,7})')) OR (length(n) IN (9) AND regexp_matches(n, '^(?:(?:2(?:0330|4302)|52087)0\d{3}|(?:1[0-8]|2[1-378]|3[1-69]|4\d|5[1346-8])\d{7})')) OR (length(n) IN (5, 6, 7, 8, 9) AND regexp_matches(n, '^(?:(?:1(?:3492[0-25]|4495[0235]|549(?:20|5[01]))|4[34]492[01])\d{3}|8[1-4]\d{3,7}|(?:2[27]|47|54)4950\d{3}|(?:1(?:049[2-4]|9[12]\d\d)|(?:50[0-2]|[67]\d\d)\d\d|8(?:5\d{3}|7(?:08[67]|158|28[5-9]|310)))\d{4}|(?:1[6-8]|28|3[2-69]|4[025689]|5[36-8])4920\d{3}|(?:12|[2-5]1)492\d{4})'))))
    ELSE false END;
-- END GENERATED phone

-- The digits of a number as typed: letters read as keypad digits (1-800-FLOWERS), everything
-- else dropped.
CREATE OR REPLACE TEMP MACRO lr_phone_digits(s) AS regexp_replace(
    translate(upper(s), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '22233344455566677778889999'), '[^0-9]', '', 'g');

-- ---------------------------------------------------------------------------------------
-- Leads

CREATE OR REPLACE TEMP TABLE lr_leads AS
WITH raw AS (
    SELECT row_number() OVER () AS rn, *
    FROM read_csv(getvariable('leads_path'), all_varchar = true, header = true)
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
                      ELSE (SELECT alpha2 FROM lr_country_codes WHERE alpha2 = upper(compact)) END
             WHEN regexp_full_match(compact, '[A-Za-z]{3}') THEN
                 (SELECT alpha2 FROM lr_country_codes WHERE alpha3 = upper(compact)) END,
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
    SELECT w, latin AND (
        regexp_matches(c, lr_gib_repeat_re())
        OR (strlen(f) >= 4 AND regexp_matches(f, lr_gib_row_walk_re()))
        OR regexp_matches(f, lr_gib_column_walk_re())
        OR regexp_full_match(f, lr_gib_repeat_walk_re())
        OR (strlen(f) >= 5 AND regexp_full_match(f, '[asdfghjkl]+') AND lr_gib_run(u) >= 4)
        OR (lr_gib_consonants(u) >= 4 AND lr_gib_consonants(u) = length(u)
            AND NOT (lr_gib_consonants(u) = 4 AND regexp_full_match(f, '[bdfhjklmnqrstwz]+')))
        OR lr_gib_run(u) >= 6) AS bad
    FROM w3
)
SELECT p.p, lr_gib_part(p.p) AS bad_part,
    coalesce((SELECT bool_or(f.bad) FROM words x JOIN word_flags f USING (w) WHERE x.p = p.p), false) AS bad_word
FROM parts p;

-- Phone validity (phone::is_valid with the lead's country), step by step: from the first '+'
-- or digit on; the pre-filter; the calling code after '+' (or the region's international
-- prefix), else the region's, which a number starting with it loses (helper::country_code);
-- the national prefix removed for the lead's region (else the code's main region), then once
-- more (parser::parse); length 2 to 17; the numbering plan.
CREATE OR REPLACE TEMP TABLE lr_phones AS
WITH p0 AS (
    SELECT lead_id, country_code AS region, regexp_extract(phone, '[+＋\pN].*$') AS s
    FROM lr_leads
    WHERE phone IS NOT NULL AND regexp_matches(phone, '[0-9]')
      AND length(regexp_replace(phone, '[^0-9A-Za-z]', '', 'g')) >= 4
), p1 AS (
    SELECT lead_id, region, starts_with(s, '+') OR starts_with(s, '＋') AS plus, lr_phone_digits(s) AS d FROM p0
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
    SELECT *, lr_phone_strip_np1(coalesce(region, lr_phone_cc_region(cc)), n) AS n1,
              lr_phone_np(coalesce(region, lr_phone_cc_region(cc))) AS np
    FROM p4 WHERE cc IS NOT NULL
), p6 AS (
    SELECT lead_id, cc, CASE WHEN starts_with(n1, np) THEN substr(n1, length(np) + 1) ELSE n1 END AS nsn FROM p5
)
SELECT lead_id FROM p6 WHERE length(nsn) BETWEEN 2 AND 17 AND lr_phone_nsn_valid(cc, nsn);

-- ---------------------------------------------------------------------------------------
-- Events: the accepted rows, deduplicated by event_id (the first occurrence counts), at or
-- before T. Paths are only needed for page views in the longest path window (90 days).

CREATE OR REPLACE TEMP TABLE lr_events AS
WITH raw AS (
    SELECT row_number() OVER () AS rn, event_id, lead_id, type, occurred_at, url, properties
    FROM read_csv(getvariable('events_path'), all_varchar = true, header = true)
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
