#!/usr/bin/env python3
"""gen_lists.py - synthetic EU and UK sanctions lists at realistic scale, for benchmarks.

SYNTHETIC DATA: the files this writes are NOT the official EU or UK lists. They are
derived from two real files, the UN Security Council Consolidated List (XML) and the OFAC
SDN list (legacy CSV set: sdn.csv with add.csv, alt.csv and sdn_comments.csv beside it),
and written in the layouts the official EU and UK files use:

  - an EU Financial Sanctions Files consolidated list (XML, xmlFullSanctionsList_1_1
    layout: <export> of <sanctionEntity> with nameAlias, citizenship, birthdate,
    identification, address), and
  - a UK Sanctions List as the FCDO publishes it (XML: <Designations> of <Designation>
    with Names / Name1..Name6, NonLatinNames, IndividualDetails, Addresses, ...).

Each holds every UN-listed party, carrying its UN reference number where the format puts
it (EU: the unitedNationId attribute; UK: <UNReferenceNumber>), with its names, aliases,
dates and places of birth, nationalities, documents and addresses carried over and
written the way each list writes them (EU: wholeName with firstName/middleName/lastName,
title case; UK: name parts, the surname in Name 6). Spellings are varied a little so the
files are not copies of the UN names: some aliases are dropped, and common
transliteration alternatives (Mohammed/Muhammad, Hussein/Husayn, Sergei/Sergey, ...) are
chosen the way each list tends to choose them. On top of that each file gets autonomous
designations (entries without a UN reference) drawn from OFAC SDN entries of programmes
the UN does not run (Russia/Ukraine, Belarus, Syria, Iran human rights, Venezuela, ...),
enough that UN + OFAC SDN + EU + UK come to about 40,000 names, as the index counts
them (names and aliases), by default.

The output is deterministic: the same input files, seed and options give the same bytes.
Dates, reference numbers and identifiers that the sources do not give are made up.

usage: gen_lists.py --un UN.xml --sdn SDN.csv [--eu-out EU.xml] [--uk-out UK.xml]
                    [--check-out CHECK.csv] [--check-sample N] [--seed S]
                    [--eu-autonomous N] [--uk-autonomous N]

--check-out writes a sample of the UN-listed parties whose EU spelling differs from the UN's
(un_ref,name,eu_ref,uk_ref: the name is the EU file's spelling) for bench_lists
--cross-check. Only the Python standard library
is used.
"""
import argparse
import csv
import datetime
import hashlib
import os
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

# ---- Deterministic randomness ---------------------------------------------------------


def rng_for(seed, *parts):
    """A random generator seeded from the seed and the given parts (not from hash())."""
    h = hashlib.sha256("\x1f".join([str(seed)] + [str(p) for p in parts]).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "big"))


def unit(seed, *parts):
    """A number in [0, 1) fixed by the seed and the parts."""
    h = hashlib.sha256("\x1f".join([str(seed)] + [str(p) for p in parts]).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2.0 ** 64


# ---- Countries -------------------------------------------------------------------------

# ISO code, the EU file's description, the UK file's name, other spellings (UN, OFAC).
COUNTRIES = [
    ("AF", "AFGHANISTAN", "Afghanistan", []),
    ("AL", "ALBANIA", "Albania", []),
    ("DZ", "ALGERIA", "Algeria", []),
    ("AO", "ANGOLA", "Angola", []),
    ("AR", "ARGENTINA", "Argentina", []),
    ("AM", "ARMENIA", "Armenia", []),
    ("AW", "ARUBA", "Aruba", []),
    ("AU", "AUSTRALIA", "Australia", []),
    ("AT", "AUSTRIA", "Austria", []),
    ("AZ", "AZERBAIJAN", "Azerbaijan", []),
    ("BS", "BAHAMAS", "Bahamas", ["Bahamas, The"]),
    ("BH", "BAHRAIN", "Bahrain", []),
    ("BD", "BANGLADESH", "Bangladesh", []),
    ("BB", "BARBADOS", "Barbados", []),
    ("BY", "BELARUS", "Belarus", []),
    ("BE", "BELGIUM", "Belgium", []),
    ("BZ", "BELIZE", "Belize", []),
    ("BJ", "BENIN", "Benin", []),
    ("BO", "BOLIVIA", "Bolivia", []),
    ("BA", "BOSNIA AND HERZEGOVINA", "Bosnia and Herzegovina", []),
    ("BR", "BRAZIL", "Brazil", []),
    ("VG", "VIRGIN ISLANDS (BRITISH)", "British Virgin Islands", ["Virgin Islands, British"]),
    ("BN", "BRUNEI DARUSSALAM", "Brunei", []),
    ("BG", "BULGARIA", "Bulgaria", []),
    ("BF", "BURKINA FASO", "Burkina Faso", []),
    ("MM", "MYANMAR", "Myanmar", ["Burma"]),
    ("BI", "BURUNDI", "Burundi", []),
    ("CV", "CABO VERDE", "Cape Verde", []),
    ("KH", "CAMBODIA", "Cambodia", []),
    ("CM", "CAMEROON", "Cameroon", []),
    ("CA", "CANADA", "Canada", []),
    ("KY", "CAYMAN ISLANDS", "Cayman Islands", []),
    ("CF", "CENTRAL AFRICAN REPUBLIC", "Central African Republic", []),
    ("TD", "CHAD", "Chad", []),
    ("CL", "CHILE", "Chile", []),
    ("CN", "CHINA", "China", []),
    ("CO", "COLOMBIA", "Colombia", []),
    ("KM", "COMOROS", "Comoros", []),
    ("CG", "CONGO", "Congo", ["Congo, Republic of the"]),
    ("CD", "CONGO, DEMOCRATIC REPUBLIC OF", "Democratic Republic of the Congo",
     ["Congo, Democratic Republic of the"]),
    ("CR", "COSTA RICA", "Costa Rica", []),
    ("CI", "COTE D'IVOIRE", "Ivory Coast", ["Cote d Ivoire"]),
    ("HR", "CROATIA", "Croatia", []),
    ("CU", "CUBA", "Cuba", []),
    ("CY", "CYPRUS", "Cyprus", []),
    ("CZ", "CZECHIA", "Czech Republic", []),
    ("DK", "DENMARK", "Denmark", []),
    ("DM", "DOMINICA", "Dominica", []),
    ("DO", "DOMINICAN REPUBLIC", "Dominican Republic", []),
    ("EC", "ECUADOR", "Ecuador", []),
    ("EG", "EGYPT", "Egypt", []),
    ("SV", "EL SALVADOR", "El Salvador", []),
    ("GQ", "EQUATORIAL GUINEA", "Equatorial Guinea", []),
    ("ER", "ERITREA", "Eritrea", []),
    ("ET", "ETHIOPIA", "Ethiopia", []),
    ("FI", "FINLAND", "Finland", []),
    ("FR", "FRANCE", "France", []),
    ("GA", "GABON", "Gabon", []),
    ("GM", "GAMBIA", "The Gambia", ["The Gambia"]),
    ("GE", "GEORGIA", "Georgia", []),
    ("DE", "GERMANY", "Germany", []),
    ("GH", "GHANA", "Ghana", []),
    ("GI", "GIBRALTAR", "Gibraltar", []),
    ("GR", "GREECE", "Greece", []),
    ("GT", "GUATEMALA", "Guatemala", []),
    ("GN", "GUINEA", "Guinea", []),
    ("GW", "GUINEA-BISSAU", "Guinea-Bissau", []),
    ("GY", "GUYANA", "Guyana", []),
    ("HT", "HAITI", "Haiti", []),
    ("HN", "HONDURAS", "Honduras", []),
    ("HK", "HONG KONG", "Hong Kong", ["China, Hong Kong Special Administrative Region"]),
    ("IN", "INDIA", "India", []),
    ("ID", "INDONESIA", "Indonesia", []),
    ("IR", "IRAN (ISLAMIC REPUBLIC OF)", "Iran", ["Iran (Islamic Republic of)"]),
    ("IQ", "IRAQ", "Iraq", []),
    ("IE", "IRELAND", "Ireland", []),
    ("IL", "ISRAEL", "Israel", []),
    ("IT", "ITALY", "Italy", []),
    ("JM", "JAMAICA", "Jamaica", []),
    ("JP", "JAPAN", "Japan", []),
    ("JE", "JERSEY", "Jersey", []),
    ("JO", "JORDAN", "Jordan", []),
    ("KZ", "KAZAKHSTAN", "Kazakhstan", []),
    ("KE", "KENYA", "Kenya", []),
    ("KP", "KOREA (DEMOCRATIC PEOPLE'S REPUBLIC OF)", "North Korea",
     ["Democratic People's Republic of Korea", "Korea, North"]),
    ("KR", "KOREA (REPUBLIC OF)", "South Korea", ["Korea, South"]),
    ("XK", "KOSOVO", "Kosovo", []),
    ("KW", "KUWAIT", "Kuwait", []),
    ("KG", "KYRGYZSTAN", "Kyrgyzstan", []),
    ("LA", "LAO PEOPLE'S DEMOCRATIC REPUBLIC", "Laos", ["Laos"]),
    ("LV", "LATVIA", "Latvia", []),
    ("LB", "LEBANON", "Lebanon", []),
    ("LR", "LIBERIA", "Liberia", []),
    ("LY", "LIBYA", "Libya", []),
    ("LI", "LIECHTENSTEIN", "Liechtenstein", []),
    ("LU", "LUXEMBOURG", "Luxembourg", []),
    ("MO", "MACAO", "Macao", ["Macau"]),
    ("MK", "NORTH MACEDONIA", "North Macedonia",
     ["Macedonia, The Former Yugoslav Republic of"]),
    ("MY", "MALAYSIA", "Malaysia", []),
    ("MV", "MALDIVES", "Maldives", []),
    ("ML", "MALI", "Mali", []),
    ("MT", "MALTA", "Malta", []),
    ("MH", "MARSHALL ISLANDS", "Marshall Islands", []),
    ("MR", "MAURITANIA", "Mauritania", []),
    ("MX", "MEXICO", "Mexico", []),
    ("MD", "MOLDOVA, REPUBLIC OF", "Moldova", []),
    ("MN", "MONGOLIA", "Mongolia", []),
    ("ME", "MONTENEGRO", "Montenegro", []),
    ("MA", "MOROCCO", "Morocco", []),
    ("MZ", "MOZAMBIQUE", "Mozambique", []),
    ("NA", "NAMIBIA", "Namibia", []),
    ("NL", "NETHERLANDS", "Netherlands", []),
    ("AN", "NETHERLANDS ANTILLES", "Netherlands Antilles", []),
    ("NZ", "NEW ZEALAND", "New Zealand", []),
    ("NI", "NICARAGUA", "Nicaragua", []),
    ("NE", "NIGER", "Niger", []),
    ("NG", "NIGERIA", "Nigeria", []),
    ("NO", "NORWAY", "Norway", []),
    ("OM", "OMAN", "Oman", []),
    ("PK", "PAKISTAN", "Pakistan", []),
    ("PW", "PALAU", "Palau", []),
    ("PS", "PALESTINE, STATE OF", "Occupied Palestinian Territories",
     ["State of Palestine", "Palestinian", "West Bank"]),
    ("PA", "PANAMA", "Panama", []),
    ("PY", "PARAGUAY", "Paraguay", []),
    ("PE", "PERU", "Peru", []),
    ("PH", "PHILIPPINES", "Philippines", []),
    ("PL", "POLAND", "Poland", []),
    ("QA", "QATAR", "Qatar", []),
    ("RO", "ROMANIA", "Romania", []),
    ("RU", "RUSSIAN FEDERATION", "Russia", ["Russian Federation"]),
    ("RW", "RWANDA", "Rwanda", []),
    ("KN", "SAINT KITTS AND NEVIS", "St Kitts and Nevis", []),
    ("VC", "SAINT VINCENT AND THE GRENADINES", "St Vincent", []),
    ("WS", "SAMOA", "Samoa", []),
    ("SA", "SAUDI ARABIA", "Saudi Arabia", []),
    ("SN", "SENEGAL", "Senegal", []),
    ("RS", "SERBIA", "Serbia", []),
    ("SC", "SEYCHELLES", "Seychelles", []),
    ("SL", "SIERRA LEONE", "Sierra Leone", []),
    ("SG", "SINGAPORE", "Singapore", []),
    ("SK", "SLOVAKIA", "Slovakia", []),
    ("SI", "SLOVENIA", "Slovenia", []),
    ("SO", "SOMALIA", "Somalia", []),
    ("ZA", "SOUTH AFRICA", "South Africa", []),
    ("SS", "SOUTH SUDAN", "South Sudan", []),
    ("ES", "SPAIN", "Spain", []),
    ("LK", "SRI LANKA", "Sri Lanka", []),
    ("SD", "SUDAN", "Sudan", []),
    ("SE", "SWEDEN", "Sweden", []),
    ("CH", "SWITZERLAND", "Switzerland", []),
    ("SY", "SYRIAN ARAB REPUBLIC", "Syria", ["Syrian Arab Republic"]),
    ("TW", "TAIWAN", "Taiwan", []),
    ("TJ", "TAJIKISTAN", "Tajikistan", []),
    ("TZ", "TANZANIA, UNITED REPUBLIC OF", "Tanzania", ["United Republic of Tanzania"]),
    ("TH", "THAILAND", "Thailand", []),
    ("TT", "TRINIDAD AND TOBAGO", "Trinidad and Tobago", []),
    ("TN", "TUNISIA", "Tunisia", []),
    ("TR", "TÜRKIYE", "Turkey", ["Türkiye"]),
    ("TM", "TURKMENISTAN", "Turkmenistan", []),
    ("UG", "UGANDA", "Uganda", []),
    ("UA", "UKRAINE", "Ukraine", []),
    ("AE", "UNITED ARAB EMIRATES", "United Arab Emirates", []),
    ("GB", "UNITED KINGDOM", "United Kingdom",
     ["United Kingdom of Great Britain and Northern Ireland"]),
    ("US", "UNITED STATES", "United States", ["United States of America"]),
    ("UY", "URUGUAY", "Uruguay", []),
    ("UZ", "UZBEKISTAN", "Uzbekistan", []),
    ("VU", "VANUATU", "Vanuatu", []),
    ("VE", "VENEZUELA", "Venezuela", []),
    ("VN", "VIET NAM", "Vietnam", ["Viet Nam"]),
    ("YE", "YEMEN", "Yemen", []),
    ("ZW", "ZIMBABWE", "Zimbabwe", []),
]

COUNTRY_BY_NAME = {}
for _iso, _eu, _uk, _other in COUNTRIES:
    for _n in [_eu, _uk] + _other:
        COUNTRY_BY_NAME[_n.lower()] = (_iso, _eu, _uk)


def country(name):
    """(iso2, EU description, UK name) of a country as the UN or OFAC write it. Unknown
    countries keep their name, with the EU's "00" code."""
    name = (name or "").strip()
    if not name or name.lower() in ("na", "undetermined", "-0-"):
        return ("00", "UNKNOWN", "")
    hit = COUNTRY_BY_NAME.get(name.lower())
    return hit if hit else ("00", name.upper(), name)


# ---- Text ------------------------------------------------------------------------------

def clean(s):
    """Trimmed, white space collapsed, characters XML 1.0 cannot hold dropped."""
    if s is None:
        return ""
    s = "".join(c for c in s if c in "\t\n\r" or ord(c) >= 0x20)
    return " ".join(s.split())


def esc_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s):
    return esc_text(s).replace('"', "&quot;")


def script_of(s):
    """The first non-Latin script of a name ("Arabic", "Cyrillic", ...), or ""."""
    for c in s:
        if ord(c) < 0x250:
            continue
        try:
            word = unicodedata.name(c).split()[0]
        except ValueError:
            continue
        if word in ("LATIN", "COMBINING", "MODIFIER"):
            continue
        return {"CJK": "Chinese", "HANGUL": "Korean", "ARABIC": "Arabic",
                "CYRILLIC": "Cyrillic", "HEBREW": "Hebrew", "GREEK": "Greek",
                "ETHIOPIC": "Ethiopic", "DEVANAGARI": "Devanagari",
                "THAI": "Thai", "GEORGIAN": "Georgian", "ARMENIAN": "Armenian"
                }.get(word, word.title())
    return ""


LANGUAGE_OF_SCRIPT = {"Arabic": "AR", "Cyrillic": "RU", "Chinese": "ZH", "Korean": "KO",
                      "Hebrew": "HE", "Greek": "EL", "Ethiopic": "TI", "Georgian": "KA",
                      "Armenian": "HY", "Devanagari": "HI", "Thai": "TH"}
LANGUAGE_NAME = {"AR": "Arabic", "RU": "Russian", "ZH": "Chinese", "KO": "Korean",
                 "HE": "Hebrew", "EL": "Greek", "TI": "Tigrinya", "KA": "Georgian",
                 "HY": "Armenian", "HI": "Hindi", "TH": "Thai"}

PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "del", "della", "da", "dos", "das",
             "do", "di", "du", "van", "von", "der", "den", "la", "le", "y", "e", "ul", "ud"}
UPPER_WORDS = {"LLC", "JSC", "OJSC", "CJSC", "PJSC", "OOO", "OAO", "ZAO", "AO", "PAO", "LLP",
               "FZE", "FZCO", "FZC", "DMCC", "PLC", "SA", "SAS", "SARL", "SRL", "SPA", "NV",
               "BV", "AG", "KG", "UAB", "TOO", "EOOD", "DOO", "CA", "SL", "SDN", "BHD",
               "II", "III", "IV", "UN", "USA", "UAE", "UK", "EU", "FSB", "GRU", "SVR", "KGB",
               "IRGC", "ISIL", "ISIS", "AQAP", "AQIM", "LTTE", "TTP", "KOMID", "IMO", "DPRK"}
MIXED_WORDS = {"LTD": "Ltd", "GMBH": "GmbH", "INC": "Inc", "CO": "Co", "CORP": "Corp"}


def title_word(w, entity):
    """One word in title case, as the EU writes names ("AL-ZAWAHIRI" -> "al-Zawahiri")."""
    if not w:
        return w
    if any(ch.isdigit() for ch in w):
        return w
    if script_of(w):
        return w
    bare = w.strip("().,\"'“”")
    if entity and bare.upper() in UPPER_WORDS:
        return w.upper()
    if entity and bare.upper() in MIXED_WORDS:
        return w.upper().replace(bare.upper(), MIXED_WORDS[bare.upper()])
    if entity and w.startswith("(") and w.isupper() and len(bare) <= 8:
        return w                                    # "(ISIL)", "(AQAP)"
    if "-" in w:
        parts = w.split("-")
        out = [title_word(p, entity) for p in parts]
        for k in range(len(parts) - 1):         # "al-Zawahiri", "Saif-al-Din"
            if parts[k].lower() in ("al", "el", "ad", "ash", "as", "an", "ar", "az", "at",
                                    "ud", "ul", "ur", "ad", "ed", "ibn", "bin"):
                out[k] = parts[k].lower()
        return "-".join(out)
    lead = ""
    while w and not w[0].isalpha():
        lead, w = lead + w[0], w[1:]
    if not w:
        return lead
    out = w[0].upper() + w[1:].lower()
    # "Mc", "O'" and apostrophes inside Arabic names stay as they are: "Qa'ida"
    return lead + out


SMALL_WORDS = {"of", "and", "the", "for", "in", "on", "at", "to", "de", "du", "des", "la",
               "le", "del", "y", "e", "et", "und", "fur", "für"}


def title_case(s, entity=False, particles=True):
    words = s.split(" ")
    out = []
    for i, w in enumerate(words):
        t = title_word(w, entity)
        if particles and i > 0 and w.lower() in (SMALL_WORDS if entity else PARTICLES):
            t = w.lower()
        out.append(t)
    return " ".join(out)


# ---- Spelling variants ------------------------------------------------------------------

# Each group holds spellings of one name part that the lists use for the same person, by
# the languages they come from: Arabic, Persian and Pashto names; Russian, Ukrainian and
# Belarusian ones (romanised); Spanish ones (accents written or not).
ARABIC_GROUPS = [
    ["Mohammed", "Muhammad", "Mohammad", "Mohamed", "Muhammed", "Mohamad"],
    ["Ahmed", "Ahmad"], ["Mahmoud", "Mahmud", "Mahmood"], ["Mustafa", "Mostafa", "Moustafa"],
    ["Hussein", "Husayn", "Hussain", "Husain", "Hossein"], ["Hassan", "Hasan"],
    ["Hasan", "Hassan"], ["Hussain", "Hussein", "Husayn"],
    ["Abdullah", "Abdallah", "Abdollah"], ["Abdul", "Abdel", "Abdoul"],
    ["Abdel", "Abdul"], ["Abd", "Abdul"],
    ["Osama", "Usama"], ["Usama", "Osama"], ["Omar", "Umar"], ["Umar", "Omar"],
    ["Othman", "Uthman", "Osman"], ["Uthman", "Othman", "Osman"],
    ["Yusuf", "Yousef", "Youssef", "Yousuf"], ["Yousef", "Yusuf", "Youssef"],
    ["Khalid", "Khaled"], ["Khaled", "Khalid"], ["Saeed", "Said", "Sayed"], ["Said", "Saeed"],
    ["Abu", "Abou"], ["Ibrahim", "Ebrahim"], ["Ismail", "Ismael", "Esmail"],
    ["Suleiman", "Sulayman", "Soliman", "Sulaiman"], ["Sulaiman", "Sulayman", "Suleiman"],
    ["Saleh", "Salih"], ["Salih", "Saleh"], ["Nasser", "Nasir", "Naser"], ["Nasir", "Nasser"],
    ["Jamal", "Gamal"], ["Qasim", "Qassim", "Kassem", "Qassem"], ["Qassem", "Qasim"],
    ["Faisal", "Faysal", "Feisal"], ["Hamid", "Hameed"], ["Hameed", "Hamid"],
    ["Rashid", "Rasheed"], ["Rasheed", "Rashid"], ["Tariq", "Tarek", "Tareq"],
    ["Walid", "Waleed"], ["Zaid", "Zayd", "Zeid"], ["Zayd", "Zaid"], ["Jafar", "Jaafar"],
    ["Mansour", "Mansur"], ["Mansur", "Mansour"], ["Nur", "Noor"], ["Noor", "Nur"],
    ["Abdulrahman", "Abdurrahman", "Abdelrahman"], ["Rahman", "Rehman"], ["Rehman", "Rahman"],
    ["Aziz", "Azeez"], ["Karim", "Kareem"], ["Kareem", "Karim"], ["Habib", "Habeeb"],
    ["Yahya", "Yehia", "Yahia"], ["Yasin", "Yaseen", "Yassin"], ["Yassin", "Yasin"],
    ["Shaykh", "Sheikh", "Shaikh"], ["Sheikh", "Shaykh"], ["Mullah", "Mulla"],
    ["Mawlawi", "Maulavi", "Maulvi"], ["Maulavi", "Mawlawi"], ["Haji", "Hajji"],
    ["Qari", "Qary"], ["Gul", "Ghul"], ["Zadran", "Zadrani"], ["Haqqani", "Haqani"],
    ["Akhund", "Akhwand"], ["Akhtar", "Akhter"], ["Mohammadi", "Muhammadi"],
    ["Jan", "Jaan"], ["Shah", "Sha"], ["Wali", "Walli"], ["Sayed", "Sayyed", "Syed"],
    ["Syed", "Sayed"], ["Amir", "Ameer"], ["Ameer", "Amir"], ["Muhsin", "Mohsen"],
    ["Mohsen", "Mohsin", "Muhsin"], ["Reza", "Riza"], ["Hosseini", "Husseini"],
    ["Mahdi", "Mehdi"], ["Mehdi", "Mahdi"],
    ["Assad", "Asad"], ["Asad", "Assad"], ["Makhlouf", "Makhluf"],
    ["Shalish", "Chalich"], ["Jaber", "Jabir"], ["Jabir", "Jaber"], ["Hamza", "Hamzah"],
    ["Hamzah", "Hamza"], ["Talal", "Tallal"], ["Fadel", "Fadil"], ["Fadil", "Fadel"],
    ["Adel", "Adil"], ["Adil", "Adel"], ["Nabil", "Nabeel"], ["Nabeel", "Nabil"],
    ["Bilal", "Belal"], ["Tahir", "Taher"], ["Taher", "Tahir"], ["Kamal", "Kamel"],
    ["Kamel", "Kamal"], ["Hisham", "Hesham"], ["Hesham", "Hisham"], ["Imad", "Emad"],
    ["Emad", "Imad"], ["Issa", "Eissa", "Isa"], ["Isa", "Issa"], ["Musa", "Moussa", "Mousa"],
    ["Moussa", "Musa"], ["Harun", "Haroun"], ["Haroun", "Harun"],
]
SLAVIC_GROUPS = [
    ["Aleksandr", "Alexander", "Aleksander"], ["Alexander", "Aleksandr"],
    ["Sergei", "Sergey"], ["Sergey", "Sergei"], ["Yuri", "Yury", "Iouri"], ["Yury", "Yuri"],
    ["Dmitri", "Dmitry", "Dmitriy"], ["Dmitry", "Dmitri", "Dmitriy"],
    ["Dmitriy", "Dmitry", "Dmitri"], ["Andrei", "Andrey"], ["Andrey", "Andrei"],
    ["Alexei", "Aleksei", "Alexey", "Aleksey"], ["Aleksey", "Alexey", "Aleksei"],
    ["Alexey", "Aleksei", "Alexei"], ["Nikolai", "Nikolay"], ["Nikolay", "Nikolai"],
    ["Yevgeny", "Evgeny", "Yevgeniy", "Evgenii"], ["Yevgeniy", "Evgeny", "Yevgeny"],
    ["Evgeny", "Yevgeny", "Evgenii"], ["Viktor", "Victor"], ["Victor", "Viktor"],
    ["Mikhail", "Mikhael"], ["Vasily", "Vasiliy", "Vassili"], ["Vasiliy", "Vasily"],
    ["Anatoly", "Anatoliy", "Anatolii"], ["Anatoliy", "Anatoly"], ["Arkady", "Arkadiy"],
    ["Arkadiy", "Arkady"], ["Gennady", "Gennadiy", "Gennadi"], ["Gennadiy", "Gennady"],
    ["Valery", "Valeriy", "Valeri"], ["Valeriy", "Valery"], ["Grigory", "Grigoriy"],
    ["Grigoriy", "Grigory"], ["Yevgenyevich", "Evgenievich"], ["Pyotr", "Petr", "Piotr"],
    ["Petr", "Pyotr"], ["Fyodor", "Fedor"], ["Fedor", "Fyodor"], ["Semyon", "Semen"],
    ["Aleksandrovich", "Alexandrovich"], ["Alexandrovich", "Aleksandrovich"],
    ["Aleksandrovna", "Alexandrovna"], ["Alexandrovna", "Aleksandrovna"],
    ["Sergeyevich", "Sergeevich"], ["Sergeevich", "Sergeyevich"],
    ["Nikolayevich", "Nikolaevich"], ["Nikolaevich", "Nikolayevich"],
    ["Alekseyevich", "Alekseevich"], ["Alekseevich", "Alekseyevich"],
    ["Andreyevich", "Andreevich"], ["Andreevich", "Andreyevich"],
    ["Vasilyevich", "Vasilievich"], ["Vasilievich", "Vasilyevich"],
    ["Yuryevich", "Yurievich", "Yurevich"], ["Yurievich", "Yuryevich"],
    ["Valeryevich", "Valerievich"], ["Valerievich", "Valeryevich"],
    ["Anatolyevich", "Anatolievich"], ["Anatolievich", "Anatolyevich"],
    ["Gennadyevich", "Gennadievich"], ["Gennadievich", "Gennadyevich"],
    ["Olga", "Olha"], ["Tatiana", "Tatyana"], ["Tatyana", "Tatiana"],
    ["Natalia", "Natalya"], ["Natalya", "Natalia"], ["Yulia", "Yuliya", "Julia"],
    ["Yuliya", "Yulia"], ["Maria", "Mariya"], ["Elena", "Yelena"], ["Yelena", "Elena"],
    ["Ekaterina", "Yekaterina"], ["Yekaterina", "Ekaterina"],
    ["Volodymyr", "Vladimir"], ["Oleksandr", "Aleksandr", "Olexandr"],
    ["Mykola", "Nikolai"], ["Serhiy", "Sergiy", "Sergei"], ["Sergiy", "Serhiy"],
    ["Andriy", "Andrii", "Andrei"], ["Andrii", "Andriy"], ["Yuriy", "Yurii", "Yury"],
    ["Oleksiy", "Oleksii"], ["Vitaliy", "Vitaly", "Vitalii"], ["Vitaly", "Vitaliy"],
    ["Aliaksandr", "Alexander", "Aleksandr"], ["Uladzimir", "Vladimir"],
    ["Siarhei", "Sergei"], ["Dzmitry", "Dmitry"], ["Mikalai", "Nikolai"],
]
SPANISH_GROUPS = [
    ["Jose", "José"], ["Jesus", "Jesús"], ["Ramon", "Ramón"], ["Hernandez", "Hernández"],
    ["Rodriguez", "Rodríguez"], ["Gonzalez", "González"], ["Martinez", "Martínez"],
    ["Perez", "Pérez"], ["Sanchez", "Sánchez"], ["Lopez", "López"], ["Garcia", "García"],
    ["Ramirez", "Ramírez"], ["Gomez", "Gómez"], ["Diaz", "Díaz"], ["Suarez", "Suárez"],
]
VARIANT_GROUPS = ([("arabic", g) for g in ARABIC_GROUPS] + [("slavic", g) for g in SLAVIC_GROUPS]
                  + [("spanish", g) for g in SPANISH_GROUPS])

# A word's groups, by its lower-case form: a word may be in several.
VARIANTS = {}
for _gi, (_fam, _g) in enumerate(VARIANT_GROUPS):
    VARIANTS.setdefault(_g[0].lower(), []).append(_gi)


def match_case(model, word):
    """word spelled in the case pattern of model (UPPER, Title or as given)."""
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class Style:
    """How one list spells names: a preferred alternative for each variant group, and how
    often it departs from the spelling it copies."""

    def __init__(self, seed, name, rate):
        self.rate = rate
        r = rng_for(seed, "style", name)
        self.choice = [g[r.randrange(1, len(g))] for _, g in VARIANT_GROUPS]

    def word(self, w, r, families):
        core = w.strip(",.()")
        # "AL-ZAWAHIRI": the part after a prefix may vary on its own
        if "-" in core:
            pieces = core.split("-")
            return w.replace(core, "-".join(self.word(p, r, families) for p in pieces))
        groups = [g for g in VARIANTS.get(core.lower(), []) if VARIANT_GROUPS[g][0] in families]
        if not groups or r.random() >= self.rate:
            return w
        alt = self.choice[groups[0]]
        return w.replace(core, match_case(core, alt))

    def name_text(self, s, r, families=("arabic",)):
        return " ".join(self.word(w, r, families) for w in s.split(" ")) if s else s


def families_of(programme):
    """Which names an autonomous designation's programme (EU code) is likely to hold."""
    if programme in ("UKR", "BLR", "CYB", "GHR", "BIH"):
        return ("arabic", "slavic")
    if programme in ("VEN", "NIC"):
        return ("spanish",)
    return ("arabic",)


# ---- The UN list -------------------------------------------------------------------------

MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec"])}


def split_top_level(s, sep=";"):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def alias_names(text):
    """The names of one UN alias field: ';'-separated, without notes in parentheses,
    quotes, or a born-in tail; names in another script come back apart."""
    out = []
    for piece in split_top_level(text):
        piece = piece.strip(" ,;")
        piece = re.sub(r"^[a-z]\)\s*", "", piece)
        piece = piece.strip('"“”').strip()
        piece = re.split(r",? born\b", piece)[0].strip(" ,")
        m = re.match(r"^(.*?)\s*\(([^()]*)\)$", piece)
        if m and m.group(1):
            head, inner = m.group(1).strip(), m.group(2).strip()
            if bool(script_of(head)) != bool(script_of(inner)):
                out.extend([head] + [x.strip() for x in inner.split(";") if x.strip()])
                continue
            if inner[:1].islower() or inner.lower().startswith(("original", "birth", "previous",
                                                                "formerly", "name")):
                piece = head
        if piece:
            out.append(piece)
    return out


def text(node, tag):
    if node is None:
        return ""
    c = node.find(tag)
    return clean(c.text) if c is not None and c.text else ""


def read_un(path):
    root = ET.parse(path).getroot()
    generated = (root.get("dateGenerated") or "")[:10]
    parties = []
    for kind, tag, alias_tag, addr_tag in (("person", "INDIVIDUAL", "INDIVIDUAL_ALIAS",
                                            "INDIVIDUAL_ADDRESS"),
                                           ("entity", "ENTITY", "ENTITY_ALIAS",
                                            "ENTITY_ADDRESS")):
        for e in root.iter(tag):
            parts = [text(e, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                          "FOURTH_NAME")]
            parts = [p for p in parts if p]
            if not parts:
                continue
            p = {
                "kind": kind, "ref": text(e, "REFERENCE_NUMBER"), "dataid": text(e, "DATAID"),
                "list_type": text(e, "UN_LIST_TYPE"), "listed_on": text(e, "LISTED_ON"),
                "comments": text(e, "COMMENTS1"), "gender": text(e, "GENDER"),
                "parts": parts, "aliases": [], "original": [], "titles": [],
                "designations": [], "nationalities": [], "dobs": [], "pobs": [],
                "documents": [], "addresses": [],
                "updated": "",
            }
            upd = [clean(v.text) for v in e.iter("VALUE")
                   if v.text and re.match(r"\d{4}-\d\d-\d\d$", clean(v.text))]
            p["updated"] = max(upd) if upd else p["listed_on"]
            for container, key in (("TITLE", "titles"), ("DESIGNATION", "designations"),
                                   ("NATIONALITY", "nationalities")):
                for c in e.findall(container):
                    for v in c.findall("VALUE"):
                        if clean(v.text):
                            p[key].append(clean(v.text))
            seen = {" ".join(parts).lower()}
            for a in e.findall(alias_tag):
                q = text(a, "QUALITY").lower()
                for n in alias_names(text(a, "ALIAS_NAME")):
                    if n.lower() in seen:
                        continue
                    seen.add(n.lower())
                    if script_of(n) and not re.search(r"[A-Za-z]", n):
                        p["original"].append(n)
                    else:
                        p["aliases"].append((n, "low" if q.startswith("low") else "good"))
            for o in e.findall("NAME_ORIGINAL_SCRIPT"):
                for n in split_top_level(clean(o.text)):
                    n = re.sub(r"\s*\([^()]*\)$", "", n.strip()) if script_of(n) else n.strip()
                    if n and n not in p["original"]:
                        p["original"].append(n)
            for d in e.findall("INDIVIDUAL_DATE_OF_BIRTH"):
                dob = un_dob(d)
                if dob:
                    p["dobs"].append(dob)
            for b in e.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
                city, state, ctry = text(b, "CITY"), text(b, "STATE_PROVINCE"), text(b, "COUNTRY")
                if city or state or ctry:
                    p["pobs"].append((city, state, ctry))
            for d in e.findall("INDIVIDUAL_DOCUMENT"):
                doc = {"type": text(d, "TYPE_OF_DOCUMENT"), "type2": text(d, "TYPE_OF_DOCUMENT2"),
                       "number": text(d, "NUMBER"),
                       "country": text(d, "ISSUING_COUNTRY") or text(d, "COUNTRY_OF_ISSUE"),
                       "note": text(d, "NOTE"), "issued": text(d, "DATE_OF_ISSUE")}
                if doc["number"] or doc["type"]:
                    p["documents"].append(doc)
            for a in e.findall(addr_tag):
                addr = {k: text(a, t) for k, t in (("street", "STREET"), ("city", "CITY"),
                                                   ("region", "STATE_PROVINCE"),
                                                   ("zip", "ZIP_CODE"), ("country", "COUNTRY"),
                                                   ("note", "NOTE"))}
                if any(addr[k] for k in ("street", "city", "region", "zip", "country")):
                    p["addresses"].append(addr)
            parties.append(p)
    return generated, parties


def un_dob(d):
    kind = text(d, "TYPE_OF_DATE").upper()
    date, year = text(d, "DATE"), text(d, "YEAR")
    frm, to, note = text(d, "FROM_YEAR"), text(d, "TO_YEAR"), text(d, "NOTE")
    approx = kind == "APPROXIMATELY" or note.lower() == "approximately"
    if frm and to and re.match(r"\d{4}$", frm[:4]) and re.match(r"\d{4}$", to[:4]):
        return {"kind": "range", "from": int(frm[:4]), "to": int(to[:4]), "circa": approx}
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", date)
    if m:
        return {"kind": "date", "y": int(m.group(1)), "m": int(m.group(2)),
                "d": int(m.group(3)), "circa": approx}
    if re.match(r"\d{4}$", year):
        return {"kind": "year", "y": int(year), "circa": approx}
    m = re.match(r"([A-Za-z]{3})[a-z]*\.? (\d{4})$", note)      # "Nov. 1973", "August 1961"
    if m and m.group(1).lower() in MONTHS:
        return {"kind": "month", "y": int(m.group(2)), "m": MONTHS[m.group(1).lower()],
                "circa": approx}
    return None


# ---- The OFAC SDN list -----------------------------------------------------------------------

def read_csv_rows(path):
    if not os.path.exists(path):
        return []
    raw = open(path, "rb").read()
    try:
        data = raw.decode("utf-8")
    except UnicodeDecodeError:
        data = raw.decode("cp1252", errors="replace")
    rows = []
    for r in csv.reader(data.splitlines()):
        rows.append([("" if f.strip() == "-0-" else clean(f)) for f in r])
    return rows


def ofac_dob(s):
    s = s.strip().rstrip(".")
    circa = s.lower().startswith("circa ")
    if circa:
        s = s[6:].strip()
    m = re.match(r"(\d{4}) to (\d{4})$", s)
    if m:
        return {"kind": "range", "from": int(m.group(1)), "to": int(m.group(2))}
    m = re.match(r"(\d{1,2}) ([A-Za-z]{3}) (\d{4})$", s)
    if m and m.group(2).lower() in MONTHS:
        return {"kind": "date", "y": int(m.group(3)), "m": MONTHS[m.group(2).lower()],
                "d": int(m.group(1)), "circa": circa}
    m = re.match(r"([A-Za-z]{3}) (\d{4})$", s)
    if m and m.group(1).lower() in MONTHS:
        return {"kind": "month", "y": int(m.group(2)), "m": MONTHS[m.group(1).lower()],
                "circa": circa}
    m = re.match(r"(\d{4})$", s)
    if m:
        return {"kind": "year", "y": int(m.group(1)), "circa": circa}
    return None


def ofac_person_name(s):
    """"SECHIN, Igor Ivanovich" -> ("Igor Ivanovich", "SECHIN")."""
    if ", " in s:
        last, first = s.split(", ", 1)
        return first.strip(), last.strip()
    return "", s


def read_sdn(path):
    base = os.path.dirname(path)
    rows = read_csv_rows(path)
    comments = {}
    for r in read_csv_rows(os.path.join(base, "sdn_comments.csv")):
        if len(r) >= 2:
            comments[r[0]] = comments.get(r[0], "") + r[1]
    alts, addrs = {}, {}
    for r in read_csv_rows(os.path.join(base, "alt.csv")):
        if len(r) >= 4 and r[3]:
            alts.setdefault(r[0], []).append((r[2].lower(), r[3]))
    for r in read_csv_rows(os.path.join(base, "add.csv")):
        if len(r) >= 5:
            addrs.setdefault(r[0], []).append({"street": r[2], "city": r[3], "country": r[4]})
    out = []
    for r in rows:
        if len(r) < 12 or not r[0] or not r[1]:
            continue
        kind = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}.get(
            r[2].lower(), "entity")
        programs = [x.strip() for x in re.split(r"\]\s*\[", r[3].strip("[] ")) if x.strip()]
        remarks = r[11] + comments.get(r[0], "")
        e = {"num": r[0], "name": r[1], "kind": kind, "programs": programs, "title": r[4],
             "aliases": [n for t, n in alts.get(r[0], []) if t in ("aka", "fka", "nka")],
             "addresses": [a for a in addrs.get(r[0], [])
                           if a["street"] or a["city"] or a["country"]],
             "dobs": [], "pobs": [], "nationalities": [], "passports": [], "ids": [],
             "gender": "", "imo": "", "flag": r[9]}
        for item in remarks.split(";"):
            item = item.strip().rstrip(".")
            low = item.lower()
            if low.startswith("alt. "):
                item, low = item[5:], low[5:]
            if low.startswith("dob "):
                d = ofac_dob(item[4:])
                if d:
                    e["dobs"].append(d)
            elif low.startswith("pob "):
                e["pobs"].append(item[4:].strip())
            elif low.startswith("nationality ") or low.startswith("citizen "):
                c = item.split(" ", 1)[1].strip()
                if c not in e["nationalities"]:
                    e["nationalities"].append(c)
            elif low.startswith("passport "):
                m = re.match(r"(\S+)(?: \(([^)]*)\))?", item[9:].strip())
                if m:
                    e["passports"].append((m.group(1), m.group(2) or ""))
            elif low.startswith("national id no. "):
                m = re.match(r"(\S+)(?: \(([^)]*)\))?", item[16:].strip())
                if m:
                    e["ids"].append((m.group(1), m.group(2) or ""))
            elif low.startswith("gender "):
                e["gender"] = item[7:].strip()
            elif "imo " in low and ("vessel registration" in low or low.startswith("imo ")):
                m = re.search(r"IMO (\d{7})", item)
                if m:
                    e["imo"] = m.group(1)
        out.append(e)
    return out


# Programmes the UN also runs, or under which OFAC lists UN-listed parties: their entries
# are never taken as autonomous designations.
UN_LIKE = re.compile(r"^(SDGT|FTO|NPWMD|DPRK.*|IRAQ.*|LIBYA.*|SOMALIA|CAR|DRCONGO|"
                     r"SOUTH SUDAN|DARFUR|SUDAN.*|MALI.*|YEMEN|TALIBAN|HAITI.*|SDNTK?|TCO|"
                     r"CUBA|ILLICIT-DRUGS.*)$")

# OFAC programme -> (weight, EU programme, EU regulation, UK regime, UK ID prefix)
RUS = ("UKR", "269/2014 (OJ L78)", "The Russia (Sanctions) (EU Exit) Regulations 2019", "RUS")
AUTONOMOUS = [
    (re.compile(r"^(UKRAINE-EO1366[0-2]|UKRAINE-EO13685|RUSSIA-EO14024|CAATSA - RUSSIA)$"),
     1.0, RUS),
    (re.compile(r"^(CYBER2?|ELECTION-EO13848)$"), 0.8,
     ("CYB", "2019/796 (OJ L129I)", "The Cyber (Sanctions) (EU Exit) Regulations 2020", "CYB")),
    (re.compile(r"^BELARUS.*$"), 1.0,
     ("BLR", "765/2006 (OJ L134)",
      "The Republic of Belarus (Sanctions) (EU Exit) Regulations 2019", "BEL")),
    (re.compile(r"^(SYRIA|SYRIA-EO13894|SYRIA-CAESAR|HRIT-SY|FSE-SY)$"), 1.0,
     ("SYR", "36/2012 (OJ L16)", "The Syria (Sanctions) (EU Exit) Regulations 2019", "SYR")),
    (re.compile(r"^(IRAN-HR|HRIT-IR)$"), 1.0,
     ("IRN", "359/2011 (OJ L100)",
      "The Iran (Sanctions) (Human Rights) (EU Exit) Regulations 2019", "IHR")),
    (re.compile(r"^(IRAN|IFSR|IRGC|IRAN-EO1387[16]|IRAN-EO13846|IRAN-TRA|CAATSA - IRAN|"
                r"IRAN-CON-ARMS-EO|IRAN-EO13902)$"), 0.35,
     ("IRN", "267/2012 (OJ L88)", "The Iran (Sanctions) Regulations 2023", "IRN")),
    (re.compile(r"^VENEZUELA.*$"), 0.9,
     ("VEN", "2017/2063 (OJ L295)", "The Venezuela (Sanctions) (EU Exit) Regulations 2019",
      "VEN")),
    (re.compile(r"^BURMA.*$"), 1.0,
     ("MMR", "401/2013 (OJ L121)", "The Burma (Sanctions) (EU Exit) Regulations 2019", "MYA")),
    (re.compile(r"^NICARAGUA.*$"), 1.0,
     ("NIC", "2019/1716 (OJ L262)", "The Nicaragua (Sanctions) (EU Exit) Regulations 2020",
      "NIC")),
    (re.compile(r"^ZIMBABWE$"), 0.8,
     ("ZWE", "314/2004 (OJ L55)", "The Zimbabwe (Sanctions) (EU Exit) Regulations 2019", "ZIM")),
    (re.compile(r"^(GLOMAG|MAGNIT)$"), 0.8,
     ("GHR", "2020/1998 (OJ L410I)", "The Global Human Rights Sanctions Regulations 2020",
      "GHR")),
    (re.compile(r"^BALKANS.*$"), 0.6,
     ("BIH", "2021/1275 (OJ L277I)",
      "The Bosnia and Herzegovina (Sanctions) (EU Exit) Regulations 2020", "BOS")),
]

# UN list -> (EU programme, EU regulation, UK regime, UK ID prefix)
UN_REGIMES = {
    "Al-Qaida": ("TAQA", "881/2002 (OJ L139)",
                 "The ISIL (Da'esh) and Al-Qaida (United Nations Sanctions) (EU Exit) "
                 "Regulations 2019", "AQD"),
    "Taliban": ("AFG", "753/2011 (OJ L199)",
                "The Afghanistan (Sanctions) (EU Exit) Regulations 2020", "AFG"),
    "DPRK": ("PRK", "2017/1509 (OJ L224)",
             "The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019",
             "DPR"),
    "Iraq": ("IRQ", "1210/2003 (OJ L169)", "The Iraq (Sanctions) (EU Exit) Regulations 2020",
             "IRQ"),
    "DRC": ("COD", "1183/2005 (OJ L193)",
            "The Democratic Republic of the Congo (Sanctions) (EU Exit) Regulations 2019", "DRC"),
    "Iran": ("IRN", "267/2012 (OJ L88)",
             "The Iran (Sanctions) (Nuclear) (EU Exit) Regulations 2019", "INU"),
    "Libya": ("LBY", "2016/44 (OJ L12)", "The Libya (Sanctions) (EU Exit) Regulations 2020",
              "LIB"),
    "Somalia": ("SOM", "356/2010 (OJ L105)",
                "The Somalia (Sanctions) (EU Exit) Regulations 2020", "SOM"),
    "CAR": ("CAF", "224/2014 (OJ L70)",
            "The Central African Republic (Sanctions) (EU Exit) Regulations 2020", "CAF"),
    "GB": ("GNB", "377/2012 (OJ L119)",
           "The Guinea-Bissau (Sanctions) (EU Exit) Regulations 2019", "GUB"),
    "Yemen": ("YEM", "1352/2014 (OJ L365)", "The Yemen (Sanctions) (EU Exit) Regulations 2020",
              "YEM"),
    "Haiti": ("HTI", "2022/2309 (OJ L307)", "The Haiti (Sanctions) Regulations 2022", "HAI"),
    "Sudan": ("SDN", "747/2014 (OJ L203)", "The Sudan (Sanctions) (EU Exit) Regulations 2020",
              "SUD"),
    "SouthSudan": ("SSD", "2015/735 (OJ L117)",
                   "The South Sudan (Sanctions) (EU Exit) Regulations 2019", "SSU"),
}
DEFAULT_UN_REGIME = ("UNX", "2000/1 (OJ L1)", "The United Nations Sanctions Regulations", "UNX")


def autonomous_regime(programs):
    best = None
    for p in programs:
        for rx, weight, regime in AUTONOMOUS:
            if rx.match(p) and (best is None or weight > best[0]):
                best = (weight, regime)
    return best


def norm_name(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(sorted(re.sub(r"[^a-z0-9 ]", " ", s).split()))


def pick_autonomous(sdn, un_parties, count, seed, name):
    """count OFAC entries, by weighted sampling without replacement over the entries of
    programmes the UN does not run whose names are not UN names."""
    un_names = set()
    for p in un_parties:
        un_names.add(norm_name(" ".join(p["parts"])))
        for a, _ in p["aliases"]:
            un_names.add(norm_name(a))
    scored = []
    for e in sdn:
        if e["kind"] == "aircraft" or any(UN_LIKE.match(p) for p in e["programs"]):
            continue
        reg = autonomous_regime(e["programs"])
        if not reg:
            continue
        first, last = ofac_person_name(e["name"]) if e["kind"] == "person" else ("", e["name"])
        if norm_name(first + " " + last) in un_names:
            continue
        u = unit(seed, name, "pick", e["num"])
        key = u ** (1.0 / reg[0])
        scored.append((-key, int(e["num"]), e, reg[1]))
    scored.sort(key=lambda x: (x[0], x[1]))
    chosen = scored[:count]
    chosen.sort(key=lambda x: x[1])        # in the order of the OFAC list
    return [(e, reg) for _, _, e, reg in chosen]


# ---- Shared pieces of both files ---------------------------------------------------------------

def shift_date(iso, days):
    try:
        d = datetime.date.fromisoformat(iso[:10])
    except ValueError:
        return ""
    return (d + datetime.timedelta(days=days)).isoformat()


def uk_date(iso):
    return "%s/%s/%s" % (iso[8:10], iso[5:7], iso[0:4]) if len(iso) >= 10 else ""


def keep(r, p):
    return r.random() >= p


# ---- The EU file ----------------------------------------------------------------------------

class EUWriter:
    def __init__(self, seed, generated):
        self.seed = seed
        self.generated = generated
        self.lines = []
        self.logical = 100
        self.entities = 0
        self.names = 0
        self.style = Style(seed, "eu", 0.6)

    def next_id(self):
        self.logical += 1 + (self.logical * 7919) % 5
        return self.logical

    def eu_ref(self, i):
        return "EU.%d.%02d" % ((i * 7919) % 9000 + 1000, (i * 31) % 90 + 10)

    def attrs(self, pairs):
        return " ".join('%s="%s"' % (k, esc_attr(str(v))) for k, v in pairs)

    def regulation(self, prog, number, published):
        inforce = shift_date(published, 1) or published
        return ('        <regulation %s/>' % self.attrs([
            ("regulationType", "regulation"), ("organisationType", "council"),
            ("publicationDate", published), ("entryIntoForceDate", inforce),
            ("numberTitle", number), ("programme", prog), ("logicalId", self.next_id())]))

    def name_alias(self, whole, first="", middle="", last="", gender="", title="",
                   function="", lang="", strong=True):
        self.names += 1
        return ('        <nameAlias %s/>' % self.attrs([
            ("firstName", first), ("middleName", middle), ("lastName", last),
            ("wholeName", whole), ("function", function), ("gender", gender), ("title", title),
            ("nameLanguage", lang), ("strong", "true" if strong else "false"),
            ("regulationLanguage", "en"), ("logicalId", self.next_id())]))

    def country_attrs(self, name):
        iso, desc, _ = country(name)
        return [("countryIso2Code", iso), ("countryDescription", desc)]

    def birthdate(self, dob, city="", region="", ctry=""):
        a = [("circa", "true" if dob and dob.get("circa") else "false"),
             ("calendarType", "GREGORIAN"), ("city", city), ("zipCode", ""),
             ("birthdate", ""), ("dayOfMonth", ""), ("monthOfYear", ""), ("year", "")]
        extra = []
        if dob:
            k = dob["kind"]
            vals = dict(a)
            if k == "date":
                vals["birthdate"] = "%04d-%02d-%02d" % (dob["y"], dob["m"], dob["d"])
                vals["dayOfMonth"], vals["monthOfYear"] = str(dob["d"]), str(dob["m"])
                vals["year"] = str(dob["y"])
            elif k == "month":
                vals["monthOfYear"], vals["year"] = str(dob["m"]), str(dob["y"])
            elif k == "year":
                vals["year"] = str(dob["y"])
            elif k == "range":
                extra = [("yearRangeFrom", str(dob["from"])), ("yearRangeTo", str(dob["to"]))]
            a = [(key, vals[key]) for key, _ in a]
        a += extra + [("region", region), ("place", "")] + self.country_attrs(ctry) + [
            ("regulationLanguage", "en"), ("logicalId", self.next_id())]
        return '        <birthdate %s/>' % self.attrs(a)

    def identification(self, code, desc, number, ctry, remark="", diplomatic=False):
        a = [("diplomatic", "true" if diplomatic else "false"), ("knownExpired", "false"),
             ("knownFalse", "false"), ("reportedLost", "false"), ("revokedByIssuer", "false"),
             ("issuedBy", ""), ("latinNumber", ""), ("nameOnDocument", ""), ("number", number),
             ("region", ""), ("identificationTypeCode", code),
             ("identificationTypeDescription", desc)] + self.country_attrs(ctry) + [
            ("regulationLanguage", "en"), ("logicalId", self.next_id())]
        if remark:
            return ('        <identification %s>\n            <remark>%s</remark>\n'
                    '        </identification>' % (self.attrs(a), esc_text(remark)))
        return '        <identification %s/>' % self.attrs(a)

    def address(self, street="", city="", zipc="", region="", ctry="", remark=""):
        a = [("city", city), ("street", street), ("poBox", ""), ("zipCode", zipc),
             ("region", region), ("place", ""), ("asAtListingTime", "false")] + \
            self.country_attrs(ctry) + [("regulationLanguage", "en"),
                                        ("logicalId", self.next_id())]
        if remark:
            return ('        <address %s>\n            <remark>%s</remark>\n'
                    '        </address>' % (self.attrs(a), esc_text(remark)))
        return '        <address %s/>' % self.attrs(a)

    def begin(self, ref, un_ref, details=""):
        self.entities += 1
        self.lines.append('    <sanctionEntity %s>' % self.attrs([
            ("designationDetails", details), ("unitedNationId", un_ref),
            ("euReferenceNumber", ref), ("logicalId", self.next_id())]))

    def end(self):
        self.lines.append('    </sanctionEntity>')

    def subject(self, kind):
        code, cls = ("person", "P") if kind == "person" else ("enterprise", "E")
        self.lines.append('        <subjectType code="%s" classificationCode="%s"/>' % (code, cls))

    def split_person(self, parts):
        """firstName, middleName, lastName of a name given in parts."""
        if len(parts) == 1:
            toks = parts[0].split(" ")
            if len(toks) == 1:
                return "", "", ""
            return toks[0], " ".join(toks[1:-1]), toks[-1]
        return parts[0], " ".join(parts[1:-1]), parts[-1]

    def un_party(self, i, p):
        r = rng_for(self.seed, "eu", p["ref"])
        ref = self.eu_ref(i)
        prog, number, _, _ = UN_REGIMES.get(p["list_type"], DEFAULT_UN_REGIME)
        person = p["kind"] == "person"
        self.begin(ref, p["ref"])
        if p["comments"]:
            self.lines.append('        <remark>%s</remark>' % esc_text(p["comments"]))
        published = shift_date(p["listed_on"], 3 + r.randrange(40)) or "2001-01-01"
        self.lines.append(self.regulation(prog, number, published))
        self.subject(p["kind"])
        gender = {"male": "M", "female": "F"}.get(p["gender"].lower(), "")
        # the primary name: EU spelling of the UN parts, title case
        parts = [title_case(self.style.name_text(x, r), entity=not person) for x in p["parts"]]
        korean = person and p["ref"].startswith("KPi") and len(parts) >= 2
        if korean:
            # the family name first, the given name in one, hyphenated: "Ri Je-son"
            toks = " ".join(parts[1:]).replace("-", " ").split(" ")
            if len(toks) == 2 and r.random() < 0.8:
                parts = [parts[0], toks[0] + "-" + toks[1].lower()]
        whole = " ".join(parts)
        if korean:
            first, middle, last = " ".join(parts[1:]), "", parts[0]
        else:
            first, middle, last = self.split_person(parts) if person else ("", "", "")
        title = title_case(p["titles"][0]) if p["titles"] else ""
        function = p["designations"][0] if p["designations"] else ""
        self.lines.append(self.name_alias(whole, first, middle, last, gender, title, function))
        for n, q in p["aliases"]:
            if not keep(r, 0.35 if q == "low" else 0.12):
                continue
            text_ = title_case(self.style.name_text(n, r), entity=not person)
            if text_.lower() == whole.lower():
                continue
            self.lines.append(self.name_alias(text_, gender=gender, strong=(q != "low")))
        for o in p["original"]:
            if keep(r, 0.1):
                lang = LANGUAGE_OF_SCRIPT.get(script_of(o), "")
                self.lines.append(self.name_alias(o, gender=gender, lang=lang))
        for n in p["nationalities"]:
            self.lines.append('        <citizenship %s/>' % self.attrs(
                [("region", "")] + self.country_attrs(n) +
                [("regulationLanguage", "en"), ("logicalId", self.next_id())]))
        pobs = list(p["pobs"])
        for k, dob in enumerate(p["dobs"]):
            city, region, ctry = pobs.pop(0) if pobs and k == 0 else ("", "", "")
            self.lines.append(self.birthdate(dob, city, region, ctry))
        for city, region, ctry in pobs:
            self.lines.append(self.birthdate(None, city, region, ctry))
        for d in p["documents"]:
            t = (d["type"] + " " + d["type2"]).lower()
            if "passport" in t or "pasaporte" in t or "passeport" in t:
                code, desc = "passport", "National passport"
            elif "national" in t or "identi" in t:
                code, desc = "id", "National identification card"
            else:
                code, desc = "other", d["type"] or "Other identification number"
            remark = "; ".join(x for x in (d["note"], ("issued " + d["issued"])
                                           if d["issued"] else "") if x)
            self.lines.append(self.identification(code, desc, d["number"], d["country"], remark,
                                                  "diplomatic" in t))
        for a in p["addresses"]:
            self.lines.append(self.address(a["street"], a["city"], a["zip"], a["region"],
                                           a["country"], a["note"]))
        self.end()
        return ref, whole

    def ofac_party(self, i, e, regime):
        r = rng_for(self.seed, "eu-ofac", e["num"])
        ref = self.eu_ref(i)
        prog, number = regime[0], regime[1]
        person = e["kind"] == "person"
        published = "20%02d-%02d-%02d" % (14 + r.randrange(11), 1 + r.randrange(12),
                                          1 + r.randrange(28))
        self.begin(ref, "", "Date of listing: %s" % ".".join(
            str(int(x)) for x in reversed(published.split("-"))))
        if e["title"]:
            self.lines.append('        <remark>%s</remark>' % esc_text(e["title"]))
        self.lines.append(self.regulation(prog, number, published))
        self.subject("person" if person else "entity")
        gender = {"male": "M", "female": "F"}.get(e["gender"].lower(), "")
        fam = families_of(prog)

        def spell(n):
            if person:
                first, last = ofac_person_name(n)
                first = title_case(self.style.name_text(first, r, fam))
                last = title_case(self.style.name_text(last, r, fam))
                toks = first.split(" ") if first else []
                return (" ".join(toks + [last]).strip(), toks[0] if toks else "",
                        " ".join(toks[1:]), last)
            return title_case(self.style.name_text(n, r, fam), entity=True), "", "", ""

        whole, first, middle, last = spell(e["name"])
        self.lines.append(self.name_alias(whole, first, middle, last, gender,
                                          function=e["title"]))
        for a in e["aliases"]:
            if not keep(r, 0.15):
                continue
            w = spell(a)[0]
            if w.lower() != whole.lower():
                self.lines.append(self.name_alias(w, gender=gender))
        for n in e["nationalities"]:
            self.lines.append('        <citizenship %s/>' % self.attrs(
                [("region", "")] + self.country_attrs(n) +
                [("regulationLanguage", "en"), ("logicalId", self.next_id())]))
        pobs = list(e["pobs"])
        for k, dob in enumerate(e["dobs"]):
            city, ctry = ("", "")
            if pobs and k == 0:
                bits = pobs.pop(0).rsplit(", ", 1)
                city, ctry = (bits[0], bits[1]) if len(bits) == 2 else ("", bits[0])
            self.lines.append(self.birthdate(dob, city, "", ctry))
        for pob in pobs:
            bits = pob.rsplit(", ", 1)
            city, ctry = (bits[0], bits[1]) if len(bits) == 2 else ("", bits[0])
            self.lines.append(self.birthdate(None, city, "", ctry))
        for num, ctry in e["passports"]:
            self.lines.append(self.identification("passport", "National passport", num, ctry))
        for num, ctry in e["ids"]:
            self.lines.append(self.identification("id", "National identification card", num,
                                                  ctry))
        if e["imo"]:
            self.lines.append(self.identification("imo", "IMO number", e["imo"], "",
                                                  "Flag: " + e["flag"] if e["flag"] else ""))
        for a in e["addresses"][:4]:
            self.lines.append(self.address(a["street"], a["city"], "", "", a["country"]))
        self.end()
        return ref

    def text(self):
        head = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                '<!-- SYNTHETIC: generated by bench/gen_lists.py from the UN Security Council '
                'Consolidated List and the OFAC SDN list, in the layout of the EU Financial '
                'Sanctions Files (xmlFullSanctionsList_1_1). Not the official EU list. -->',
                '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="%sT17:00:00'
                '.000+01:00" globalFileId="%d">' % (self.generated, 100000 + self.entities)]
        return "\n".join(head + self.lines + ["</export>", ""])


# ---- The UK file --------------------------------------------------------------------------------

class UKWriter:
    def __init__(self, seed, generated):
        self.seed = seed
        self.generated = generated
        self.lines = []
        self.entities = 0
        self.names = 0
        self.counters = {}
        self.group = 6000
        self.style = Style(seed, "uk", 0.3)

    def unique_id(self, prefix):
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return "%s%04d" % (prefix, n)

    def el(self, tag, value, indent=6):
        if not value:
            return
        self.lines.append("%s<%s>%s</%s>" % (" " * indent, tag, esc_text(value), tag))

    def name_xml(self, parts, name_type, strength=""):
        """A <Name> of parts: Name1 the first, Name6 the last (the surname)."""
        self.names += 1
        slots = {}
        if len(parts) == 1:
            slots[6] = parts[0]
        else:
            slots[1] = parts[0]
            for k, x in enumerate(parts[1:-1][:4]):
                slots[2 + k] = x
            if len(parts) > 6:
                slots[5] = " ".join(parts[5:-1])
            slots[6] = parts[-1]
        inner = "".join("<Name%d>%s</Name%d>" % (k, esc_text(slots[k]), k) for k in sorted(slots))
        inner += "<NameType>%s</NameType>" % name_type
        if strength:
            inner += "<AliasStrength>%s</AliasStrength>" % strength
        return "        <Name>%s</Name>" % inner

    def alias_parts(self, n, person):
        if not person:
            return [n]
        toks = n.split(" ")
        if len(toks) <= 2:
            return toks
        return [toks[0], " ".join(toks[1:-1]), toks[-1]]

    def dob_text(self, dob):
        k = dob["kind"]
        if k == "range":
            return "%d to %d" % (dob["from"], dob["to"])
        if k == "date":
            s = "%02d/%02d/%04d" % (dob["d"], dob["m"], dob["y"])
        elif k == "month":
            s = "dd/%02d/%04d" % (dob["m"], dob["y"])
        else:
            s = "dd/mm/%04d" % dob["y"]
        return ("circa " + s) if dob.get("circa") else s

    def begin(self, uid, updated, designated, un_ref="", group=True):
        self.entities += 1
        self.lines.append("  <Designation>")
        self.el("LastUpdated", uk_date(updated), 4)
        self.el("DateDesignated", uk_date(designated), 4)
        self.el("UniqueID", uid, 4)
        if group:
            self.group += 1 + self.group % 3
            self.el("OFSIGroupID", str(self.group), 4)
        self.el("UNReferenceNumber", un_ref, 4)

    def details(self, person, dobs, nationalities, passports, ids, positions, pobs, gender,
                titles=(), imo=""):
        if person:
            self.lines.append("    <IndividualDetails>")
            self.lines.append("      <Individual>")
            if dobs:
                self.lines.append("        <DOBs>%s</DOBs>" % "".join(
                    "<DOB>%s</DOB>" % esc_text(self.dob_text(d)) for d in dobs))
            if nationalities:
                self.lines.append("        <Nationalities>%s</Nationalities>" % "".join(
                    "<Nationality>%s</Nationality>" % esc_text(country(n)[2] or n)
                    for n in nationalities))
            if passports:
                self.lines.append("        <PassportDetails>")
                for num, info in passports:
                    self.lines.append(
                        "          <Passport><PassportNumber>%s</PassportNumber>%s</Passport>"
                        % (esc_text(num), "<PassportAdditionalInformation>%s"
                           "</PassportAdditionalInformation>" % esc_text(info) if info else ""))
                self.lines.append("        </PassportDetails>")
            if ids:
                self.lines.append("        <NationalIdentifierDetails>")
                for num, info in ids:
                    self.lines.append(
                        "          <NationalIdentifier><NationalIdentifierNumber>%s"
                        "</NationalIdentifierNumber>%s</NationalIdentifier>"
                        % (esc_text(num), "<NationalIdentifierAdditionalInformation>%s"
                           "</NationalIdentifierAdditionalInformation>" % esc_text(info)
                           if info else ""))
                self.lines.append("        </NationalIdentifierDetails>")
            if positions:
                self.lines.append("        <Positions>%s</Positions>" % "".join(
                    "<Position>%s</Position>" % esc_text(x) for x in positions))
            if pobs:
                self.lines.append("        <BirthDetails>%s</BirthDetails>" % "".join(
                    "<Location><TownOfBirth>%s</TownOfBirth><CountryOfBirth>%s</CountryOfBirth>"
                    "</Location>" % (esc_text(t), esc_text(country(c)[2] or c)) for t, c in pobs))
            if gender:
                self.lines.append("        <Genders><Gender>%s</Gender></Genders>"
                                  % esc_text(gender))
            self.lines.append("      </Individual>")
            self.lines.append("    </IndividualDetails>")
        elif imo:
            self.lines.append("    <ShipDetails><Ship><IMONumbers><IMONumber>IMO%s</IMONumber>"
                              "</IMONumbers></Ship></ShipDetails>" % imo)

    def addresses(self, addrs):
        if not addrs:
            return
        self.lines.append("    <Addresses>")
        for a in addrs:
            lines = [x for x in (a.get("street", ""), a.get("city", ""), a.get("region", ""))
                     if x]
            inner = "".join("<AddressLine%d>%s</AddressLine%d>" % (k + 1, esc_text(x), k + 1)
                            for k, x in enumerate(lines[:6]))
            if a.get("zip"):
                inner += "<AddressPostalCode>%s</AddressPostalCode>" % esc_text(a["zip"])
            c = country(a.get("country", ""))[2] or a.get("country", "")
            inner += "<AddressCountry>%s</AddressCountry>" % esc_text(c) if c else \
                "<AddressCountry />"
            self.lines.append("      <Address>%s</Address>" % inner)
        self.lines.append("    </Addresses>")

    def un_party(self, p):
        r = rng_for(self.seed, "uk", p["ref"])
        _, _, regime, prefix = UN_REGIMES.get(p["list_type"], DEFAULT_UN_REGIME)
        person = p["kind"] == "person"
        uid = self.unique_id(prefix)
        designated = shift_date(p["listed_on"], r.randrange(30)) or "2001-01-01"
        self.begin(uid, max(p["updated"], designated), designated, p["ref"])
        self.lines.append("    <Names>")
        # the primary name in capitals, as the UK list writes UN names
        parts = [self.style.name_text(x, r).upper() for x in p["parts"]]
        self.lines.append(self.name_xml(parts, "Primary Name"))
        seen = {" ".join(parts).lower()}
        if r.random() < 0.2:
            var = [title_case(Style(self.seed, "uk-var-" + p["ref"], 1.0).name_text(x, r),
                              entity=not person) for x in p["parts"]]
            if " ".join(var).lower() not in seen:
                seen.add(" ".join(var).lower())
                self.lines.append(self.name_xml(var, "Primary name variation"))
        for n, q in p["aliases"]:
            if not keep(r, 0.2 if q == "low" else 0.06):
                continue
            t = self.style.name_text(n, r)
            if t.lower() in seen:
                continue
            seen.add(t.lower())
            self.lines.append(self.name_xml(self.alias_parts(t, person), "Alias",
                                            "Low quality a.k.a" if q == "low"
                                            else "Good quality a.k.a"))
        self.lines.append("    </Names>")
        if p["original"]:
            self.lines.append("    <NonLatinNames>")
            for o in p["original"]:
                sc = script_of(o)
                lang = LANGUAGE_NAME.get(LANGUAGE_OF_SCRIPT.get(sc, ""), "")
                self.names += 1
                self.lines.append(
                    "      <NonLatinName><NameNonLatinScript>%s</NameNonLatinScript>"
                    "<NonLatinScriptType>%s</NonLatinScriptType><NonLatinScriptLanguage>%s"
                    "</NonLatinScriptLanguage></NonLatinName>" % (esc_text(o), esc_text(sc),
                                                                  esc_text(lang)))
            self.lines.append("    </NonLatinNames>")
        if p["titles"]:
            self.lines.append("    <Titles>%s</Titles>" % "".join(
                "<Title>%s</Title>" % esc_text(t) for t in p["titles"]))
        self.el("RegimeName", regime, 4)
        self.el("IndividualEntityShip", "Individual" if person else "Entity", 4)
        self.el("DesignationSource", "UN", 4)
        self.el("SanctionsImposed", "Asset freeze|Travel Ban|Arms embargo" if person
                else "Asset freeze|Arms embargo", 4)
        self.el("OtherInformation", p["comments"], 4)
        self.addresses(p["addresses"])
        passports, ids = [], []
        for d in p["documents"]:
            t = (d["type"] + " " + d["type2"]).lower()
            info = "; ".join(x for x in (d["note"], d["country"]) if x)
            if "passport" in t or "pasaporte" in t or "passeport" in t:
                passports.append((d["number"], info))
            else:
                ids.append((d["number"], info))
        self.details(person, p["dobs"], p["nationalities"], passports, ids, p["designations"],
                     [(c or s, k) for c, s, k in p["pobs"]], p["gender"])
        self.lines.append("  </Designation>")
        return uid

    def ofac_party(self, e, regime):
        r = rng_for(self.seed, "uk-ofac", e["num"])
        person = e["kind"] == "person"
        uid = self.unique_id(regime[3])
        designated = "20%02d-%02d-%02d" % (14 + r.randrange(11), 1 + r.randrange(12),
                                           1 + r.randrange(28))
        updated = shift_date(designated, r.randrange(400))
        self.begin(uid, updated, designated, group=r.random() < 0.9)
        fam = families_of(regime[0])
        self.lines.append("    <Names>")

        def parts_of(n, primary):
            if person:
                first, last = ofac_person_name(n)
                first = self.style.name_text(first, r, fam)
                last = self.style.name_text(last, r, fam)
                if not primary:
                    first, last = title_case(first), title_case(last)
                toks = first.split(" ") if first else []
                if len(toks) > 1:
                    return [toks[0], " ".join(toks[1:]), last.upper() if primary else last]
                return toks + [last.upper() if primary else last]
            t = self.style.name_text(n, r, fam)
            return [t if primary else title_case(t, entity=True)]

        primary = parts_of(e["name"], True)
        self.lines.append(self.name_xml(primary, "Primary Name"))
        seen = {" ".join(primary).lower()}
        for a in e["aliases"]:
            if not keep(r, 0.1):
                continue
            pa = parts_of(a, False)
            if " ".join(pa).lower() in seen:
                continue
            seen.add(" ".join(pa).lower())
            self.lines.append(self.name_xml(pa, "Alias", "Good quality a.k.a"))
        self.lines.append("    </Names>")
        self.el("RegimeName", regime[2], 4)
        self.el("IndividualEntityShip", "Individual" if person else
                ("Ship" if e["kind"] == "vessel" else "Entity"), 4)
        self.el("DesignationSource", "UK", 4)
        self.el("SanctionsImposed", "Asset freeze|Travel Ban" if person else "Asset freeze", 4)
        if e["title"]:
            self.el("UKStatementofReasons", e["title"] + ".", 4)
        self.addresses(e["addresses"][:4])
        pobs = []
        for pob in e["pobs"]:
            bits = pob.rsplit(", ", 1)
            pobs.append((bits[0], bits[1]) if len(bits) == 2 else ("", bits[0]))
        self.details(person, e["dobs"], e["nationalities"],
                     [(n, c) for n, c in e["passports"]], [(n, c) for n, c in e["ids"]],
                     [e["title"]] if e["title"] else [], pobs, e["gender"], imo=e["imo"])
        self.lines.append("  </Designation>")
        return uid

    def text(self):
        d = self.generated
        head = ['<?xml version="1.0" encoding="utf-8"?>',
                '<!-- SYNTHETIC: generated by bench/gen_lists.py from the UN Security Council '
                'Consolidated List and the OFAC SDN list, in the layout of the UK Sanctions '
                'List (FCDO XML). Not the official UK list. -->',
                '<Designations xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
                "  <DateGenerated>%s</DateGenerated>" % uk_date(d)]
        return "\n".join(head + self.lines + ["</Designations>", ""])


# ---- Main ---------------------------------------------------------------------------------------

def spelled(name):
    return " ".join(name.lower().replace("-", " ").split())


def write(path, data):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description="Synthetic EU FSF and UK FCDO sanctions list XML "
                                 "files derived from the real UN and OFAC SDN lists.")
    ap.add_argument("--un", required=True, help="UN Security Council Consolidated List XML")
    ap.add_argument("--sdn", required=True, help="OFAC sdn.csv (add/alt/sdn_comments beside it)")
    ap.add_argument("--eu-out", help="EU FSF XML file to write")
    ap.add_argument("--uk-out", help="UK FCDO XML file to write")
    ap.add_argument("--check-out", help="CSV of UN parties and their EU spelling to write")
    ap.add_argument("--check-sample", type=int, default=300,
                    help="UN parties in the check file, drawn from those whose EU spelling "
                    "differs from the UN's (default 300; 0: all of those)")
    ap.add_argument("--seed", default="interdict-bench-1")
    ap.add_argument("--eu-autonomous", type=int, default=1100,
                    help="EU entries drawn from OFAC SDN (default 1100)")
    ap.add_argument("--uk-autonomous", type=int, default=1000,
                    help="UK entries drawn from OFAC SDN (default 1000)")
    args = ap.parse_args()

    generated, un = read_un(args.un)
    sdn = read_sdn(args.sdn)
    eu = EUWriter(args.seed, shift_date(generated, -1) or generated)
    uk = UKWriter(args.seed, shift_date(generated, -2) or generated)
    check = []
    for i, p in enumerate(un):
        eu_ref, eu_name = eu.un_party(i + 1, p)
        uk_ref = uk.un_party(p)
        check.append((p["ref"], eu_name, eu_ref, uk_ref))
    eu_un, uk_un = eu.entities, uk.entities
    for k, (e, reg) in enumerate(pick_autonomous(sdn, un, args.eu_autonomous, args.seed, "eu")):
        eu.ofac_party(len(un) + k + 1, e, reg)
    for e, reg in pick_autonomous(sdn, un, args.uk_autonomous, args.seed, "uk"):
        uk.ofac_party(e, reg)
    if args.eu_out:
        write(args.eu_out, eu.text())
    if args.uk_out:
        write(args.uk_out, uk.text())
    if args.check_out:
        # the parties the EU spells otherwise than the UN (not only in case or hyphens)
        rows = [c for c, p in zip(check, un)
                if spelled(c[1]) != spelled(" ".join(p["parts"]))]
        if 0 < args.check_sample < len(rows):
            r = rng_for(args.seed, "check")
            rows = [rows[i] for i in sorted(r.sample(range(len(rows)), args.check_sample))]
        with open(args.check_out, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["un_ref", "name", "eu_ref", "uk_ref"])
            w.writerows(rows)
    print("gen_lists: eu entries=%d (un=%d autonomous=%d) names=%d; "
          "uk entries=%d (un=%d autonomous=%d) names=%d"
          % (eu.entities, eu_un, eu.entities - eu_un, eu.names,
             uk.entities, uk_un, uk.entities - uk_un, uk.names), file=sys.stderr)


if __name__ == "__main__":
    main()
