"""The kinds of authority the registry knows, with the names people read."""

# Local authority types as coded in mySociety's register of UK local authorities.
LOCAL_AUTHORITY_TYPES = {
    "CTY": "County council",
    "NMD": "Non-metropolitan district",
    "MD": "Metropolitan district",
    "UA": "Unitary authority",
    "LBO": "London borough",
    "CC": "City corporation",
    "SRA": "Strategic regional authority",
    "COMB": "Combined authority",
    "SCO": "Scottish council",
    "WPA": "Welsh principal area",
    "NID": "Northern Ireland district",
}

# Partner bodies, added by administrators rather than imported.
PARTNER_TYPES = {
    "NHS_TRUST": "NHS trust",
    "NHS_ICB": "NHS integrated care board",
    "POLICE": "Police force",
    "FIRE": "Fire and rescue service",
    "SCHOOL": "School",
    "CHARITY": "Charity",
    "OTHER": "Other public body",
}

# NHS bodies are identified nationally by their Organisation Data Service code.
TYPES_NEEDING_ODS_CODE = frozenset({"NHS_TRUST", "NHS_ICB"})

ALL_TYPES = {**LOCAL_AUTHORITY_TYPES, **PARTNER_TYPES}

NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")
