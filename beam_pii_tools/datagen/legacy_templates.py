"""Value pools, checksum helpers, the record builder and the template families
used by :mod:`beam_pii_tools.datagen.legacy_generate`.

Everything here is invented by hand for this project: names are random
combinations of common first and last names, companies and domains are made
up, numbers are generated with the relevant check digits.

Labelling rule (enforced by the builder): every value helper marks the type it
produces.  A *genuine* value marks its type ``True``; a decoy (role mailbox,
toll-free number, private IP, placeholder, ...) marks it ``False`` unless a
genuine value of the same type was already marked.  Labels are OR-merged, so a
record's label for a type is ``True`` iff the text holds at least one genuine
instance.  Templates must therefore never hard-code genuine PII in literal
text: all of it goes through the helpers.
"""
from __future__ import annotations

import datetime as _dt
import json
import random
import string
import unicodedata
from dataclasses import dataclass
from typing import Callable

# ---------------------------------------------------------------------------
# Type names (exact catalog strings)
# ---------------------------------------------------------------------------
NAME = "Person Name"
EMAIL = "Email Address"
PHONE = "Phone Number"
ADDRESS = "Street Address"
DOB = "Date of Birth"
SSN = "Social Security Number"
CARD = "Credit Card Number"
IBAN = "IBAN"
BANK = "Bank Account Number"
IP = "IP Address"
MAC = "MAC Address"
PASSPORT = "Passport Number"
DL = "Driver's License Number"
NATID = "National ID Number"
TAXID = "Tax ID Number"
MRN = "Medical Record Number"
HINS = "Health Insurance ID"
COND = "Medical Condition"
MED = "Medication"
USER = "Username"
PASSWORD = "Password"
GEO = "Geolocation Coordinates"
PLATE = "Vehicle License Plate"
VIN = "Vehicle Identification Number"
EMPID = "Employee ID"
SALARY = "Salary"
JOB = "Job Title"
EMPLOYER = "Employer Name"
RELIGION = "Religion"
ORIENT = "Sexual Orientation"
ETHNIC = "Ethnicity"
POLIT = "Political Affiliation"
GENDER = "Gender"
AGE = "Age"
NATION = "Nationality"
URL = "Personal URL"
DEVICE = "Device ID"
POSTAL = "Postal Code"
MARITAL = "Marital Status"
FAX = "Fax Number"
POB = "Place of Birth"
STUDENT = "Student ID"
CUSTID = "Customer ID"
ACCT = "Account Number"

ALL_TYPES = [
    NAME, EMAIL, PHONE, ADDRESS, DOB, SSN, CARD, IBAN, BANK, IP, MAC, PASSPORT,
    DL, NATID, TAXID, MRN, HINS, COND, MED, USER, PASSWORD, GEO, PLATE, VIN,
    EMPID, SALARY, JOB, EMPLOYER, RELIGION, ORIENT, ETHNIC, POLIT, GENDER, AGE,
    NATION, URL, DEVICE, POSTAL, MARITAL, FAX, POB, STUDENT, CUSTID, ACCT,
]

# ---------------------------------------------------------------------------
# Pools
# ---------------------------------------------------------------------------
FIRST = [
    "Maria", "James", "Aisha", "Wei", "Olga", "Mateo", "Priya", "Liam", "Fatima",
    "Kenji", "Sofia", "Noah", "Amara", "Lukas", "Ingrid", "Diego", "Chloe", "Tariq",
    "Hannah", "Ravi", "Elena", "Kwame", "Yuki", "Marta", "Oliver", "Leila", "Sven",
    "Camila", "Dmitri", "Nadia", "Connor", "Mei", "Jonas", "Isabel", "Hamza", "Zoe",
    "Pedro", "Anika", "Tomasz", "Grace", "Arjun", "Freya", "Mohammed", "Lucia",
    "Emeka", "Sanne", "Rafael", "Ayesha", "Bjorn", "Chiara", "Kofi", "Julia",
    "Hiroshi", "Ewa", "Samuel", "Nour", "Mikael", "Valentina", "Femi", "Ines",
    "Daniel", "Siobhan", "Andrei", "Thandiwe", "Marco", "Hye-jin", "Oscar",
    "Leticia", "Pavel", "Imani", "Felix", "Rosa", "Ahmed", "Clara", "Nikhil",
    "Astrid", "Gabriel", "Yasmin", "Tobias", "Lena", "Bartosz", "Keiko", "Malik",
    "Agnieszka", "Declan", "Beatriz", "Olumide", "Sigrid", "Vikram", "Carmen",
]
LAST = [
    "Gonzalez", "Okafor", "Kowalski", "Nakamura", "Petrova", "Fischer", "Haddad",
    "Sullivan", "Chen", "Moreau", "Lindqvist", "Patel", "Rossi", "Novak", "Mensah",
    "O'Brien", "Schmidt", "Alvarez", "Kim", "Jansen", "Dubois", "Khan", "Bauer",
    "Silva", "Murphy", "Ivanova", "Yilmaz", "Nguyen", "Hoffmann", "Costa",
    "Andersen", "Reyes", "Takahashi", "Mwangi", "Fernandes", "Walsh", "Kaur",
    "Bergstrom", "Popescu", "Adeyemi", "Marchetti", "Horvath", "Larsen", "Barros",
    "Castillo", "Hughes", "Sato", "Wisniewska", "Ochieng", "Delgado", "van Dijk",
    "Brennan", "Abdullah", "Svensson", "Mazur", "Tanaka", "Ferreira", "Keller",
    "Lefebvre", "Osei", "Quinn", "Romero", "Varga", "Whitfield", "Zimmermann",
    "Ito", "Das", "Eriksen", "Greco", "Hashemi", "Jovanovic", "Kaplan", "Lund",
    "Nilsen", "Pereira", "Ramos", "Sokolov", "Toth", "Ueda", "Vasquez", "Weber",
    "Ahmadi", "Bianchi", "Achterberg", "Dlamini", "Forsberg", "Gallagher",
]
MIDDLE_INITIALS = list("ABCDEFGHJKLMNPRSTW")

PLACEHOLDER_NAMES = [
    "John Doe", "Jane Doe", "John Smith (sample)", "Max Mustermann",
    "Erika Mustermann", "Joe Bloggs", "Jane Roe", "Firstname Lastname",
    "Test User", "A. N. Other", "Mario Rossi (example)", "Jan Kowalski (przykład)",
    "Richard Roe", "Fred Nurk", "Ola Nordmann", "Jean Dupont (exemple)",
]
PLACEHOLDER_FIRST = ["John", "Jane", "Max", "Erika", "Test", "Sample", "Demo"]

# Names of things that look like people's names: (phrase, category)
LOOKALIKES = {
    "food": ["Ben & Jerry's", "Wendy's", "Tim Hortons", "Jack Daniel's",
             "Papa John's", "Dunkin'", "Ruth's Chris", "Sara Lee", "Aunt Jemima",
             "Uncle Ben's", "Marie Callender's", "Carl's Jr.", "Jimmy John's",
             "Baskin-Robbins", "Morton's", "Hardee's"],
    "place": ["Victoria Station", "Jordan", "Charles de Gaulle Airport",
              "Lincoln Center", "Washington Square", "St. Louis", "Lake Louise",
              "Martha's Vineyard", "Georgia", "Florence", "Sydney", "Chelsea",
              "Alexanderplatz", "Elizabeth Line", "King's Cross", "Santa Monica",
              "Mount Kenya", "Port Elizabeth", "San Jose", "Adelaide",
              "Lake Victoria", "Jackson Hole", "Virginia Beach"],
    "brand": ["Calvin Klein", "Tommy Hilfiger", "Ray-Ban", "Dr. Martens",
              "Marks & Spencer", "Johnson & Johnson", "Dolce & Gabbana",
              "Ralph Lauren", "Hugo Boss", "Louis Vuitton", "Estee Lauder",
              "Mercedes-Benz", "Ferrari", "Ted Baker", "Kate Spade",
              "Jimmy Choo", "Ford", "Porsche", "Hewlett-Packard", "Dell"],
    "product": ["Alexa", "Siri", "Cortana", "Jenkins", "Watson", "Ada", "Julia",
                "Hermes", "Django", "Flask", "Jupyter", "Kafka", "Cassandra"],
}

EMAIL_PROVIDERS = [
    "gmail.com", "yahoo.com", "outlook.com", "hotmail.co.uk", "gmx.de", "web.de",
    "orange.fr", "libero.it", "icloud.com", "proton.me", "yahoo.co.in",
    "uol.com.br", "t-online.de", "free.fr", "btinternet.com", "wp.pl",
    "bigpond.com", "hotmail.com", "live.com", "mail.ru", "gmx.net", "me.com",
    "yahoo.es", "laposte.net", "seznam.cz", "zoho.com",
]
PERSONAL_TLDS = [".me", ".net", ".name", ".family", ".dev", ".io", ".co.uk", ".de", ".fr", ".nl"]
ROLE_LOCALS = [
    "support", "noreply", "no-reply", "billing", "info", "careers", "privacy",
    "notifications", "postmaster", "abuse", "sales", "helpdesk", "hr",
    "accounts-payable", "do-not-reply", "security", "admin", "help", "orders",
    "service", "team", "hello", "contact", "jobs", "press", "invoices",
    "alerts", "devops", "it-support", "reception", "bookings", "returns",
]
PLACEHOLDER_EMAILS = [
    "jane@example.com", "john.doe@example.com", "user@example.org",
    "name@domain.com", "you@yourcompany.com", "first.last@company.com",
    "test@test.com", "someone@example.net", "email@example.com",
    "your.name@example.com", "foo@bar.com", "user@localhost",
    "max.mustermann@example.de", "alice@example.com", "bob@example.org",
]

COMPANY_WORDS_A = [
    "Northwind", "Bluepeak", "Helix", "Cobalt", "Lumen", "Orchard", "Tidewater",
    "Pinecrest", "Quartzline", "Redfern", "Silverline", "Kestrel", "Marigold",
    "Vantage", "Brightwater", "Ironbridge", "Solstice", "Meridian", "Alder",
    "Granite", "Harborview", "Juniper", "Larkspur", "Oakhurst", "Prism",
    "Riverbend", "Sequoia", "Tessellate", "Umbra", "Westmark", "Zephyr",
    "Foxglove", "Copperleaf", "Stonegate", "Bellweather", "Nimbus",
]
COMPANY_WORDS_B = [
    ("Traders", "com"), ("Energy", "com"), ("Logistics", "com"),
    ("Insurance", "com"), ("Health", "org"), ("Bank", "com"), ("Telecom", "net"),
    ("Furniture", "co.uk"), ("Software", "io"), ("Pharmacy", "com"),
    ("Airlines", "com"), ("Analytics", "io"), ("Foods", "com"), ("Rail", "eu"),
    ("Utilities", "com"), ("Motors", "de"), ("Travel", "com"), ("Clinic", "org"),
    ("University", "edu"), ("Hotels", "com"), ("Retail", "com"), ("Labs", "io"),
    ("Security", "com"), ("Media", "com"), ("Dental", "com"), ("Fitness", "com"),
    ("Credit Union", "org"), ("Cloud", "io"), ("Outfitters", "com"),
]
SECTORS = {
    "health": {"Health", "Clinic", "Pharmacy", "Dental"},
    "finance": {"Bank", "Insurance", "Credit Union"},
    "edu": {"University"},
    "travel": {"Airlines", "Hotels", "Travel", "Rail"},
    "utility": {"Energy", "Utilities", "Telecom"},
    "retail": {"Retail", "Outfitters", "Foods", "Furniture", "Traders"},
    "tech": {"Software", "Cloud", "Labs", "Analytics", "Security", "Media"},
}
COMPANY_SUFFIX = ["", " Inc.", " Ltd", " GmbH", " LLC", " S.A.", " B.V.", " plc", " AG", ""]

JOB_TITLES = [
    "Senior Accountant", "Staff Nurse", "Data Engineer", "Warehouse Supervisor",
    "Marketing Coordinator", "Product Manager", "HR Business Partner",
    "Site Reliability Engineer", "Paralegal", "Sales Associate",
    "Head of Procurement", "Physiotherapist", "Customer Success Manager",
    "Junior Developer", "Lab Technician", "Chief Financial Officer",
    "Operations Analyst", "Graphic Designer", "Pharmacist", "Payroll Specialist",
    "Regional Manager", "UX Researcher", "Electrician", "Teacher",
    "Dental Hygienist", "Security Analyst", "Executive Assistant",
    "Logistics Planner", "Research Scientist", "Store Manager",
]
CONDITIONS = [
    "type 2 diabetes", "asthma", "hypertension", "major depressive disorder",
    "generalized anxiety disorder", "rheumatoid arthritis", "epilepsy",
    "chronic kidney disease stage 3", "COPD", "HIV", "hypothyroidism",
    "Crohn's disease", "multiple sclerosis", "atrial fibrillation", "migraine",
    "celiac disease", "bipolar II disorder", "psoriasis", "sleep apnea",
    "endometriosis", "gout", "ADHD", "osteoporosis", "hepatitis C",
    "coronary artery disease", "PTSD", "anemia", "glaucoma",
]
MEDICATIONS = [
    "metformin 500 mg", "lisinopril 10 mg", "atorvastatin 20 mg",
    "sertraline 50 mg", "levothyroxine 75 mcg", "salbutamol inhaler",
    "amlodipine 5 mg", "omeprazole 20 mg", "warfarin 5 mg", "insulin glargine",
    "methotrexate 15 mg weekly", "lamotrigine 100 mg", "apixaban 5 mg",
    "fluoxetine 20 mg", "adalimumab 40 mg", "prednisolone 10 mg",
    "sumatriptan 50 mg", "quetiapine 25 mg", "allopurinol 100 mg",
    "methylphenidate 18 mg", "tenofovir/emtricitabine", "montelukast 10 mg",
    "escitalopram 10 mg", "bisoprolol 2.5 mg", "gabapentin 300 mg",
]
RELIGIONS = ["Catholic", "Muslim", "Jewish", "Hindu", "Buddhist", "Sikh",
             "Evangelical Christian", "Orthodox Christian", "Latter-day Saint",
             "Jehovah's Witness", "Protestant", "atheist", "Quaker"]
RELIGION_NOUNS = {"Catholic": "Catholic", "Muslim": "Muslim", "Jewish": "Jewish",
                  "Hindu": "Hindu", "Buddhist": "Buddhist", "Sikh": "Sikh"}
ORIENTATIONS = ["gay", "lesbian", "bisexual", "heterosexual", "pansexual", "asexual", "queer"]
ETHNICITIES = ["Hispanic/Latino", "Black British", "South Asian", "Han Chinese",
               "Yoruba", "Roma", "Kurdish", "White Irish", "Afro-Caribbean",
               "Pacific Islander", "Arab", "Korean", "Ashkenazi Jewish",
               "Native American (Navajo)", "Mixed White and Black African"]
PARTIES = ["Democrat", "Republican", "Labour Party member", "Conservative Party member",
           "Green Party member", "Libertarian", "SPD member", "CDU member",
           "Liberal Democrat", "independent voter registered with the Green Party",
           "member of the Socialist Party"]
GENDERS = ["female", "male", "non-binary", "transgender woman", "transgender man", "F", "M"]
MARITAL_STATUSES = ["married", "single", "divorced", "widowed", "separated", "in a civil partnership"]
NATIONALITIES = ["Portuguese", "Nigerian", "Canadian", "Polish", "Indian", "Brazilian",
                 "German", "Irish", "Japanese", "Mexican", "Kenyan", "Swedish",
                 "Italian", "Turkish", "Filipino", "Vietnamese", "Egyptian", "Dutch"]
BIRTH_PLACES = ["Cork, Ireland", "Lagos, Nigeria", "Porto, Portugal", "Krakow, Poland",
                "Pune, India", "Recife, Brazil", "Leipzig, Germany", "Osaka, Japan",
                "Guadalajara, Mexico", "Mombasa, Kenya", "Uppsala, Sweden",
                "Bari, Italy", "Izmir, Turkey", "Cebu City, Philippines",
                "Da Nang, Vietnam", "Alexandria, Egypt", "Utrecht, Netherlands",
                "Lyon, France", "Winnipeg, Canada", "Ballarat, Australia"]

CITIES = {
    "US": [("Portland", "OR", "972"), ("Austin", "TX", "787"), ("Columbus", "OH", "432"),
           ("Denver", "CO", "802"), ("Raleigh", "NC", "276"), ("Tucson", "AZ", "857"),
           ("Madison", "WI", "537"), ("Albany", "NY", "122"), ("Boise", "ID", "837"),
           ("Richmond", "VA", "232"), ("Omaha", "NE", "681"), ("Fresno", "CA", "937")],
    "UK": [("Leeds", "LS6"), ("Bristol", "BS7"), ("Manchester", "M20"), ("Glasgow", "G12"),
           ("Norwich", "NR2"), ("Cardiff", "CF24"), ("Brighton", "BN2"), ("York", "YO31")],
    "DE": [("München", "80"), ("Berlin", "10"), ("Hamburg", "22"), ("Köln", "50"),
           ("Leipzig", "04"), ("Freiburg", "79"), ("Dresden", "01")],
    "FR": [("Lyon", "6900"), ("Paris", "7501"), ("Nantes", "4400"), ("Lille", "5900"),
           ("Toulouse", "3100"), ("Bordeaux", "3300")],
    "ES": [("Madrid", "280"), ("Valencia", "460"), ("Sevilla", "410"), ("Bilbao", "480")],
    "NL": [("Amsterdam", "10"), ("Utrecht", "35"), ("Rotterdam", "30"), ("Groningen", "97")],
    "CA": [("Toronto", "ON", "M4C"), ("Vancouver", "BC", "V5K"), ("Montréal", "QC", "H2X"),
           ("Calgary", "AB", "T2N")],
    "AU": [("Fitzroy", "VIC", "3065"), ("Newtown", "NSW", "2042"), ("Fremantle", "WA", "6160"),
           ("Paddington", "QLD", "4064")],
    "IN": [("Mumbai", "4000"), ("Bengaluru", "5600"), ("Pune", "4110"), ("Chennai", "6000")],
    "BR": [("São Paulo", "SP", "01"), ("Recife", "PE", "50"), ("Curitiba", "PR", "80")],
    "IE": [("Dublin 8", "D08"), ("Cork", "T12"), ("Galway", "H91")],
    "PL": [("Kraków", "31"), ("Warszawa", "00"), ("Gdańsk", "80")],
    "IT": [("Milano", "201"), ("Bologna", "401"), ("Torino", "101")],
    "SE": [("Uppsala", "753"), ("Göteborg", "413"), ("Malmö", "211")],
}
COUNTRIES = list(CITIES)
STREETS = {
    "US": ["Maple Ridge Dr", "Oak St", "Cedar Ln", "Willow Creek Rd", "Elm Ave",
           "Juniper Ct", "Lakeview Blvd", "Hawthorne St", "Sycamore Way", "Prospect Ave"],
    "UK": ["Kingsley Road", "Mill Lane", "Victoria Terrace", "Albion Street",
           "Church Close", "Beech Grove", "Station Road", "Park Crescent"],
    "DE": ["Lindenstraße", "Bergstraße", "Schillerweg", "Gartenstraße", "Am Mühlbach",
           "Rosenallee", "Kastanienweg"],
    "FR": ["rue des Lilas", "avenue Jean Jaurès", "rue du Moulin", "boulevard Voltaire",
           "impasse des Tilleuls"],
    "ES": ["Calle Mayor", "Calle de la Luna", "Avenida del Puerto", "Calle Olivo"],
    "NL": ["Keizersgracht", "Lindenlaan", "Molenstraat", "Prinsengracht"],
    "CA": ["Birch Ave", "Maplewood Cres", "Queen St E", "Rue Saint-Denis"],
    "AU": ["Wattle St", "Banksia Rd", "Gum Tree Ln", "Bay View Pde"],
    "IN": ["Sai Residency, Andheri West", "Green Park Colony", "MG Road Layout",
           "Lake View Apartments, Baner"],
    "BR": ["Rua das Flores", "Avenida Brasil", "Rua Augusta", "Rua do Sol"],
    "IE": ["Grove Park", "Church Road", "Ashfield Avenue"],
    "PL": ["ul. Lipowa", "ul. Słoneczna", "ul. Długa"],
    "IT": ["Via Roma", "Via dei Mille", "Corso Garibaldi"],
    "SE": ["Storgatan", "Björkvägen", "Kungsgatan"],
}

MAC_OUIS = ["3C:22:FB", "8C:8D:28", "F4:7B:09", "A4:83:E7", "DC:A6:32", "B8:27:EB",
            "F0:18:98", "40:B0:76", "AC:BC:32", "60:F8:1D", "28:6C:07", "E0:D5:5E"]

# ---------------------------------------------------------------------------
# Checksums
# ---------------------------------------------------------------------------

def luhn_check_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = [c for c in number if c.isdigit()]
    if len(digits) < 2:
        return False
    return luhn_check_digit("".join(digits[:-1])) == digits[-1]


def iban_check_digits(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    num = "".join(str(int(c, 36)) for c in rearranged.upper())
    return f"{98 - int(num) % 97:02d}"


def iban_valid(iban: str) -> bool:
    s = iban.replace(" ", "").upper()
    if len(s) < 15 or not s[:2].isalpha():
        return False
    num = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(num) % 97 == 1


_VIN_TRANS = {**{str(i): i for i in range(10)},
              **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))),
              "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def vin_check_digit(vin17: str) -> str:
    s = sum(_VIN_TRANS[c] * w for c, w in zip(vin17, _VIN_W)) % 11
    return "X" if s == 10 else str(s)


def vin_valid(vin: str) -> bool:
    return len(vin) == 17 and vin[8] == vin_check_digit(vin)


def ssn_structurally_valid(ssn: str) -> bool:
    d = ssn.replace("-", "").replace(" ", "")
    if len(d) != 9 or not d.isdigit():
        return False
    a, g, s = int(d[:3]), int(d[3:5]), int(d[5:])
    return a not in (0, 666) and a < 900 and g != 0 and s != 0


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"

# ---------------------------------------------------------------------------
# Date formatting
# ---------------------------------------------------------------------------
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def fmt_date(d: _dt.date, style: int) -> str:
    m = MONTHS[d.month - 1]
    styles = [
        f"{d.month:02d}/{d.day:02d}/{d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        d.isoformat(),
        f"{m} {d.day}, {d.year}",
        f"{d.day} {m[:3]} {d.year}",
        f"{_ordinal(d.day)} of {m} {d.year}",
        f"{d.month}/{d.day}/{str(d.year)[2:]}",
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.year}/{d.month:02d}/{d.day:02d}",
        f"{d.day}-{m[:3].upper()}-{d.year}",
        f"{m[:3]} {d.day} {d.year}",
        f"{d.year}{d.month:02d}{d.day:02d}",
    ]
    return styles[style % len(styles)]


# ---------------------------------------------------------------------------
# Data classes
# ---------------------------------------------------------------------------
@dataclass
class Person:
    first: str
    last: str
    country: str
    birth: _dt.date
    middle: str = ""
    handle: str = ""

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def age(self) -> int:
        ref = _dt.date(2024, 6, 1)
        return ref.year - self.birth.year - ((ref.month, ref.day) < (self.birth.month, self.birth.day))


@dataclass
class Company:
    name: str
    domain: str
    short: str


def _slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower().replace("ł", "l").replace("ø", "o"))
    return "".join(ch for ch in s if ch.isascii() and ch.isalnum())


# ---------------------------------------------------------------------------
# Builder
# ---------------------------------------------------------------------------
class B:
    """Per-record builder: random helpers + label bookkeeping."""

    def __init__(self, r: random.Random, bias: float = 0.5):
        self.r = r
        self.bias = bias
        self.labels: dict[str, bool] = {}
        self.values: dict[str, list[str]] = {}
        self.key_style = r.choice(["snake", "camel", "pascal", "title", "upper", "snake", "camel"])

    # -- label bookkeeping --------------------------------------------------
    def yes(self, *types: str) -> None:
        for t in types:
            self.labels[t] = True

    def val(self, t: str, v):
        """Mark ``t`` genuine and register the value that must appear in the text."""
        self.labels[t] = True
        self.values.setdefault(t, []).append(str(v))
        return v

    def no(self, *types: str) -> None:
        for t in types:
            self.labels.setdefault(t, False)

    def mark(self, t: str, v: bool) -> None:
        self.yes(t) if v else self.no(t)

    # -- randomness ---------------------------------------------------------
    def coin(self, p: float | None = None) -> bool:
        """Decision for 'include a genuine value?'; biased by the generator
        to keep positives and negatives balanced."""
        if p is None:
            p = self.bias
        else:  # shift explicit probabilities by the generator's balance bias
            p = min(0.95, max(0.05, p + (self.bias - 0.5)))
        return self.r.random() < p

    def pick(self, seq):
        return self.r.choice(list(seq))

    def sample(self, seq, k):
        return self.r.sample(list(seq), k)

    def ri(self, a: int, b: int) -> int:
        return self.r.randint(a, b)

    def digits(self, n: int, first_nonzero: bool = False) -> str:
        s = "".join(self.r.choice(string.digits) for _ in range(n))
        if first_nonzero and s[0] == "0":
            s = str(self.ri(1, 9)) + s[1:]
        return s

    def letters(self, n: int) -> str:
        return "".join(self.r.choice(string.ascii_uppercase) for _ in range(n))

    def hexs(self, n: int, upper: bool = False) -> str:
        s = "".join(self.r.choice("0123456789abcdef") for _ in range(n))
        return s.upper() if upper else s

    def k(self, words: str) -> str:
        """JSON key in the record's key style ("first name" -> firstName ...)."""
        parts = words.split()
        st = self.key_style
        if st == "snake":
            return "_".join(parts)
        if st == "camel":
            return parts[0] + "".join(p.capitalize() for p in parts[1:])
        if st == "pascal":
            return "".join(p.capitalize() for p in parts)
        if st == "title":
            return " ".join(p.capitalize() for p in parts)
        return "_".join(parts).upper()

    def date_between(self, y0: int, y1: int) -> _dt.date:
        start = _dt.date(y0, 1, 1).toordinal()
        end = _dt.date(y1, 12, 31).toordinal()
        return _dt.date.fromordinal(self.ri(start, end))

    def recent_date(self) -> _dt.date:
        return self.date_between(2019, 2025)

    def fdate(self, d: _dt.date, style: int | None = None) -> str:
        return fmt_date(d, self.ri(0, 11) if style is None else style)

    def ts(self) -> str:
        d = self.recent_date()
        return f"{d.isoformat()}T{self.ri(0,23):02d}:{self.ri(0,59):02d}:{self.ri(0,59):02d}Z"

    def money(self, lo: int, hi: int, cur: str | None = None) -> str:
        v = self.ri(lo, hi)
        cur = cur or self.pick(["$", "€", "£"])
        return f"{cur}{v:,}.{self.ri(0,99):02d}"

    # -- people & companies -------------------------------------------------
    def person(self, country: str | None = None) -> Person:
        c = country or self.pick(COUNTRIES)
        first, last = self.pick(FIRST), self.pick(LAST)
        birth = self.date_between(1942, 2004)
        handle = self.pick([
            f"{first.lower()}{self.ri(70, 99)}", f"{first[0].lower()}{_slug(last)}",
            f"{_slug(last)}_{first[0].lower()}", f"{first.lower()}.{_slug(last)[:3]}{self.ri(1,99)}",
            f"{self.pick(['sunny','blue','night','quiet','urban','lucky','pixel','trail','river','moss'])}"
            f"{self.pick(['fox','owl','runner','cat','wolf','bee','reader','panda','hiker'])}{self.ri(1,999)}",
        ]).replace("'", "")
        return Person(first, last, c, birth, self.pick(MIDDLE_INITIALS), handle)

    def anon_handle(self) -> str:
        return (f"{self.pick(['sunny','blue','night','quiet','urban','lucky','pixel','trail','river','moss','zen','retro'])}"
                f"{self.pick(['fox','owl','runner','cat','wolf','bee','reader','panda','hiker','kid','fan'])}"
                f"{self.pick(['', '_', '.'])}{self.ri(1, 9999)}")

    def name(self, p: Person, style: str | None = None) -> str:
        self.yes(NAME)
        style = style or self.pick(["full", "full", "full", "middle", "lastfirst", "upper", "first"])
        if style == "middle":
            return f"{p.first} {p.middle}. {p.last}"
        if style == "lastfirst":
            return f"{p.last}, {p.first}"
        if style == "upper":
            return f"{p.last.upper()}, {p.first}"
        if style == "first":
            return p.first
        return p.full

    def first(self, p: Person) -> str:
        self.yes(NAME)
        return p.first

    def placeholder_name(self) -> str:
        self.no(NAME)
        return self.pick(PLACEHOLDER_NAMES)

    def lookalike(self, cat: str | None = None) -> str:
        self.no(NAME)
        cat = cat or self.pick(list(LOOKALIKES))
        return self.pick(LOOKALIKES[cat])

    def company(self, sector: str | None = None) -> Company:
        a = self.pick(COMPANY_WORDS_A)
        pool = [x for x in COMPANY_WORDS_B if x[0] in SECTORS[sector]] if sector else COMPANY_WORDS_B
        bword, tld = self.pick(pool)
        name = f"{a} {bword}{self.pick(COMPANY_SUFFIX)}"
        return Company(name, f"{_slug(a + bword)}.{tld}", f"{a} {bword}")

    def employer(self, c: Company | None = None) -> str:
        """Employer of an identified person (genuine)."""
        self.yes(EMPLOYER)
        return (c or self.company()).name

    # -- email --------------------------------------------------------------
    def email(self, p: Person, personal_domain: bool | None = None) -> str:
        """Genuine personal email. Uses the name only when a name is already
        in the record (so it never sneaks a name into a name-negative record)."""
        self.yes(EMAIL)
        named = self.labels.get(NAME) is True
        fl, ll = _slug(p.first), _slug(p.last)
        if named:
            local = self.pick([f"{fl}.{ll}", f"{fl}{ll}", f"{fl[0]}{ll}", f"{fl}.{ll}{self.ri(1,99)}",
                               f"{fl}_{ll}", f"{ll}.{fl}", f"{fl}{self.ri(70,99)}", f"{fl[0]}.{ll}{self.ri(1,9)}"])
        else:
            local = self.anon_handle().lower().replace(".", "_") if self.coin(0.5) else p.handle.replace("'", "")
            if fl in local or ll in local:
                local = self.anon_handle().lower()
        if personal_domain is None:
            personal_domain = self.coin(0.15)
        if personal_domain and named:
            dom = ll + self.pick(PERSONAL_TLDS)
            local = self.pick([fl, "me", "hello", fl[0] + ll, "mail"])
        else:
            dom = self.pick(EMAIL_PROVIDERS)
        return f"{local}@{dom}"

    def role_email(self, c: Company | None = None, local: str | None = None) -> str:
        self.no(EMAIL)
        c = c or self.company()
        return f"{local or self.pick(ROLE_LOCALS)}@{self.pick(['', '', 'mail.', 'e.', 'notify.'])}{c.domain}"

    def placeholder_email(self) -> str:
        self.no(EMAIL)
        return self.pick(PLACEHOLDER_EMAILS)

    # -- phones -------------------------------------------------------------
    def _us_number(self) -> tuple[str, str, str]:
        area = self.pick(["212", "312", "415", "503", "617", "206", "713", "404", "305", "602",
                          "720", "612", "215", "412", "614", "919", "512", "801", "702", "858",
                          "416", "604", "514", "403", "613"])
        while True:
            ex = str(self.ri(201, 989))
            if ex != "555" and ex[1:] != "11":
                break
        return area, ex, self.digits(4)

    def phone(self, country: str | None = None, kind: str = "any") -> str:
        """Genuine personal phone (mobile or home landline)."""
        self.yes(PHONE)
        return self._phone_value(country)

    def _phone_value(self, country: str | None = None) -> str:
        c = country or self.pick(COUNTRIES)
        if c in ("US", "CA"):
            a, e, l = self._us_number()
            return self.pick([f"({a}) {e}-{l}", f"{a}-{e}-{l}", f"{a}.{e}.{l}", f"+1 {a} {e} {l}",
                              f"+1{a}{e}{l}", f"1-{a}-{e}-{l}", f"{a} {e} {l}", f"+1 ({a}) {e}-{l}"])
        if c == "UK":
            if self.coin(0.7):
                n = f"7{self.ri(4,9)}{self.digits(2)}"
                rest = self.digits(6)
                return self.pick([f"0{n} {rest}", f"+44 {n} {rest}", f"+44{n}{rest}", f"0{n}-{rest}",
                                  f"+44 (0){n} {rest[:3]} {rest[3:]}"])
            code = self.pick(["0161", "0113", "0117", "0141", "0121", "01603", "029"])
            return f"{code} {self.ri(2,8)}{self.digits(2)} {self.digits(4)}"
        if c == "DE":
            if self.coin(0.6):
                pre = self.pick(["151", "152", "160", "162", "170", "171", "172", "175", "176", "177"])
                rest = self.digits(self.ri(7, 8))
                return self.pick([f"+49 {pre} {rest}", f"0{pre} {rest}", f"0{pre}/{rest}", f"+49{pre}{rest}",
                                  f"0{pre}-{rest[:3]} {rest[3:]}"])
            pre = self.pick(["30", "89", "40", "221", "341", "761"])
            return self.pick([f"+49 {pre} {self.digits(7)}", f"0{pre} {self.digits(3)} {self.digits(4)}"])
        if c == "FR":
            pre = self.pick(["6", "7", "1", "4", "5"])
            g = [self.digits(2) for _ in range(4)]
            return self.pick([f"0{pre} {' '.join(g)}", f"+33 {pre} {' '.join(g)}", f"0{pre}.{'.'.join(g)}",
                              f"+33{pre}{''.join(g)}"])
        if c == "ES":
            n = self.pick(["6", "7", "9"]) + self.digits(8)
            return self.pick([f"+34 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}", f"+34{n}"])
        if c == "NL":
            n = self.digits(8, True)
            return self.pick([f"06-{n}", f"+31 6 {n}", f"06 {n[:2]} {n[2:4]} {n[4:6]} {n[6:]}", f"+316{n}"])
        if c == "AU":
            n = "4" + self.digits(8)
            return self.pick([f"0{n[:3]} {n[3:6]} {n[6:]}", f"+61 {n[:3]} {n[3:6]} {n[6:]}", f"+61{n}",
                              f"(0{self.pick(['2','3','7','8'])}) {self.ri(5,9)}{self.digits(3)} {self.digits(4)}"])
        if c == "IN":
            n = self.pick(["9", "8", "7"]) + self.digits(9)
            return self.pick([f"+91 {n[:5]} {n[5:]}", f"0{n[:5]} {n[5:]}", f"+91-{n}", f"{n}"])
        if c == "BR":
            ddd = self.pick(["11", "21", "31", "41", "81"])
            n = "9" + self.digits(8)
            return self.pick([f"+55 {ddd} {n[:5]}-{n[5:]}", f"({ddd}) {n[:5]}-{n[5:]}", f"+55{ddd}{n}"])
        if c == "IE":
            pre = self.pick(["83", "85", "86", "87", "89"])
            n = self.digits(7, True)
            return self.pick([f"0{pre} {n[:3]} {n[3:]}", f"+353 {pre} {n[:3]} {n[3:]}", f"+353{pre}{n}"])
        if c == "PL":
            n = self.pick(["5", "6", "7", "8"]) + self.digits(8)
            return self.pick([f"+48 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", f"+48{n}"])
        if c == "IT":
            n = "3" + self.digits(9)
            return self.pick([f"+39 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:]}", f"+39{n}"])
        if c == "SE":
            n = self.pick(["70", "72", "73", "76"]) + self.digits(7)
            return self.pick([f"0{n[:2]}-{n[2:5]} {n[5:7]} {n[7:]}", f"+46 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}"])
        return self._phone_value("US")

    def phone_tollfree(self, country: str | None = None, t: str = PHONE) -> str:
        self.no(t)
        c = country or self.pick(["US", "UK", "AU", "DE", "IE", "FR", "US"])
        if c in ("US", "CA"):
            pre = self.pick(["800", "888", "877", "866", "855", "844"])
            x, y = self.digits(3, True), self.digits(4)
            return self.pick([f"1-{pre}-{x}-{y}", f"({pre}) {x}-{y}", f"+1 {pre} {x} {y}", f"1 ({pre}) {x}-{y}",
                              f"{pre}-{x}-{y}"])
        if c == "UK":
            return f"{self.pick(['0800', '0808'])} {self.digits(3)} {self.digits(4)}"
        if c == "AU":
            return f"{self.pick(['1800', '1300'])} {self.digits(3)} {self.digits(3)}"
        if c == "DE":
            return f"0800 {self.digits(3)} {self.digits(4)}"
        if c == "IE":
            return f"1800 {self.digits(3)} {self.digits(3)}"
        if c == "FR":
            return f"0 800 {self.digits(2)} {self.digits(2)} {self.digits(2)}"
        return f"1-800-{self.digits(3, True)}-{self.digits(4)}"

    def phone_fictional(self, t: str = PHONE) -> str:
        self.no(t)
        a = self.pick(["212", "312", "415", "617", "202", "310"])
        x = f"01{self.digits(2)}"
        return self.pick([f"555-{x}", f"({a}) 555-{x}", f"{a}-555-{x}", f"+1 {a} 555 {x}",
                          f"07700 900{self.digits(3)}", f"020 7946 0{self.digits(3)}",
                          f"+44 113 496 0{self.digits(3)}", "123-456-7890", "000-000-0000",
                          "+1 (XXX) XXX-XXXX", "+44 0000 000000", "(555) 555-5555"])

    def phone_switchboard(self, country: str | None = None, t: str = PHONE) -> str:
        """A company's main line (the value looks like any landline)."""
        self.no(t)
        c = country or self.pick(["US", "UK", "DE", "FR", "NL"])
        if c == "DE":
            return self.pick([f"+49 {self.pick(['89','30','40','69'])} {self.digits(3)}-0",
                              f"0{self.pick(['89','30','40','69'])} {self.digits(4)}-0"])
        if c == "UK":
            return f"+44 {self.pick(['20','161','131'])} {self.digits(4)} {self.digits(4)}"
        if c == "FR":
            return f"+33 1 {self.digits(2)} {self.digits(2)} {self.digits(2)} {self.digits(2)}"
        if c == "NL":
            return f"+31 20 {self.digits(3)} {self.digits(4)}"
        a, e, l = self._us_number()
        return f"({a}) {e}-{l[:2]}00"

    def fax(self, country: str | None = None) -> str:
        self.yes(FAX)
        return self._phone_value(country or self.pick(["US", "UK", "DE", "FR", "IT", "ES", "CA"]))

    # -- addresses ----------------------------------------------------------
    def _address(self, c: str, residential: bool) -> tuple[str, str]:
        city = self.pick(CITIES[c])
        st = self.pick(STREETS[c])
        num = self.ri(1, 240)
        apt = residential and self.coin(0.5)
        if c == "US":
            z = city[2] + self.digits(2)
            unit = self.pick([f", Apt {self.ri(1,9)}{self.pick('ABCD')}", f" #{self.ri(100,999)}", f", Unit {self.ri(1,40)}"]) if apt else ""
            if not residential:
                unit = f", Suite {self.ri(100, 1900)}"
            return f"{self.ri(100, 9899)} {st}{unit}, {city[0]}, {city[1]} {z}", z
        if c == "UK":
            z = f"{city[1]} {self.ri(1,9)}{self.letters(2)}"
            pre = f"Flat {self.ri(1,12)}, " if apt else ("Unit " + str(self.ri(1, 30)) + ", " if not residential else "")
            return f"{pre}{num} {st}, {city[0]} {z}", z
        if c == "DE":
            z = city[1] + self.digits(3)
            extra = f", {self.ri(1,4)}. OG" if apt else ""
            return f"{st} {num}{extra}, {z} {city[0]}", z
        if c == "FR":
            z = city[1] + str(self.ri(1, 9))
            extra = f", appt {self.ri(1,40)}" if apt else ""
            return f"{num} {st}{extra}, {z} {city[0]}", z
        if c == "ES":
            z = city[1] + self.digits(2)
            extra = f", {self.ri(1,8)}º {self.pick('ABCD')}" if apt else ""
            return f"{st} {num}{extra}, {z} {city[0]}", z
        if c == "NL":
            z = f"{city[1]}{self.digits(2)} {self.letters(2)}"
            extra = f"-{self.ri(1,3)}" if apt else ""
            return f"{st} {num}{extra}, {z} {city[0]}", z
        if c == "CA":
            z = f"{city[2]} {self.ri(1,9)}{self.pick('ABCEGHJKLMNPRSTVXY')}{self.ri(1,9)}"
            extra = f"Unit {self.ri(1,30)}-" if apt else ""
            return f"{extra}{num} {st}, {city[0]}, {city[1]} {z}", z
        if c == "AU":
            z = city[2]
            extra = f"{self.ri(1,20)}/" if apt else ""
            return f"{extra}{num} {st}, {city[0]} {city[1]} {z}", z
        if c == "IN":
            z = city[1] + self.digits(2)
            return f"Flat {self.ri(101, 1204)}, {st}, {city[0]} {z}", z
        if c == "BR":
            z = f"{city[2]}{self.digits(3)}-{self.digits(3)}"
            extra = f", apto {self.ri(11, 184)}" if apt else ""
            return f"{st}, {num}{extra}, {city[0]} - {city[1]}, {z}", z
        if c == "IE":
            z = f"{city[1]} {self.letters(1)}{self.digits(1)}{self.letters(1)}{self.digits(1)}"
            return f"{num} {st}, {city[0]}, {z}", z
        if c == "PL":
            z = f"{city[1]}-{self.digits(3)}"
            extra = f"/{self.ri(1,60)}" if apt else ""
            return f"{st} {num}{extra}, {z} {city[0]}", z
        if c == "IT":
            z = city[1] + self.digits(2)
            return f"{st} {num}, {z} {city[0]}", z
        z = city[1] + " " + self.digits(2)
        return f"{st} {num}, {z} {city[0]}", z

    def home_address(self, p: Person | None = None, country: str | None = None) -> str:
        c = country or (p.country if p else self.pick(COUNTRIES))
        addr, z = self._address(c, True)
        self.val(POSTAL, z)
        return self.val(ADDRESS, addr)

    def home_postcode(self, p: Person | None = None) -> str:
        c = p.country if p else self.pick(COUNTRIES)
        return self.val(POSTAL, self._address(c, True)[1])

    def business_address(self, country: str | None = None) -> str:
        self.no(ADDRESS, POSTAL)
        c = country or self.pick(["US", "UK", "DE", "FR", "NL", "CA", "AU", "IE"])
        return self._address(c, False)[0]

    def business_postcode(self, country: str | None = None) -> str:
        self.no(POSTAL)
        c = country or self.pick(["US", "UK", "DE", "FR", "NL"])
        return self._address(c, False)[1]

    def placeholder_address(self) -> str:
        self.no(ADDRESS, POSTAL)
        return self.pick(["123 Main St, Anytown, USA 12345", "1 Example Street, Sampletown AB1 2CD",
                          "Musterstraße 1, 12345 Musterstadt", "742 Evergreen Terrace (sample)",
                          "<street>, <city> <zip>", "221B Example Road, Nowhere 00000"])

    # -- dates --------------------------------------------------------------
    def dob(self, p: Person, style: int | None = None) -> str:
        self.yes(DOB)
        return self.fdate(p.birth, style)

    def other_date(self, style: int | None = None) -> str:
        """A date that is not a birth date (context provided by the template)."""
        self.no(DOB)
        return self.fdate(self.recent_date(), style)

    def date_pair(self, max_days: int = 200, style: int | None = None) -> tuple[str, str]:
        """Two increasing non-birth dates (admission/discharge, pick-up/return ...)."""
        self.no(DOB)
        d0 = self.recent_date()
        d1 = _dt.date.fromordinal(d0.toordinal() + self.ri(1, max_days))
        style = self.ri(0, 11) if style is None else style
        return self.fdate(d0, style), self.fdate(d1, style)

    def age(self, p: Person) -> str:
        self.yes(AGE)
        return str(p.age)

    # -- government / finance ids --------------------------------------------
    def ssn(self, sep: str | None = None) -> str:
        self.yes(SSN)
        while True:
            a = self.ri(1, 899)
            if a != 666:
                break
        g, s = self.ri(1, 99), self.ri(1, 9999)
        sep = self.pick(["-", "-", "-", " ", ""]) if sep is None else sep
        return f"{a:03d}{sep}{g:02d}{sep}{s:04d}"

    def ssn_shaped(self) -> str:
        """SSN-shaped string that is not an SSN (invalid ranges or placeholders)."""
        self.no(SSN)
        return self.pick([
            f"000-{self.ri(10,99)}-{self.ri(1000,9999)}", f"666-{self.ri(10,99)}-{self.ri(1000,9999)}",
            f"{self.ri(1,899):03d}-00-{self.ri(1000,9999)}", f"{self.ri(1,899):03d}-{self.ri(10,99)}-0000",
            "123-45-6789", "XXX-XX-XXXX", "***-**-****", "000-00-0000", "078-05-1120",
            f"***-**-{self.digits(4)}", "987-65-4321",
        ])

    def ssn_like_id(self) -> str:
        """A ticket/part/case number that happens to have the SSN shape."""
        self.no(SSN)
        return f"{self.ri(100, 899)}-{self.ri(10, 99)}-{self.ri(1000, 9999)}"

    def card(self, sep: str | None = None) -> str:
        self.yes(CARD)
        kind = self.pick(["visa", "visa", "mc", "mc2", "amex", "disc"])
        if kind == "visa":
            part, n = "4" + self.digits(14), 16
        elif kind == "mc":
            part, n = str(self.ri(51, 55)) + self.digits(13), 16
        elif kind == "mc2":
            part, n = str(self.ri(2221, 2720)) + self.digits(11), 16
        elif kind == "amex":
            part, n = self.pick(["34", "37"]) + self.digits(12), 15
        else:
            part, n = "6011" + self.digits(11), 16
        num = part + luhn_check_digit(part)
        if num in TEST_CARDS:
            return self.card(sep)
        return self._group_card(num, sep)

    def _group_card(self, num: str, sep: str | None = None) -> str:
        sep = self.pick([" ", "-", "", " "]) if sep is None else sep
        if len(num) == 15:
            return sep.join([num[:4], num[4:10], num[10:]])
        return sep.join(num[i:i + 4] for i in range(0, len(num), 4))

    def card_luhn_fail(self, sep: str | None = None) -> str:
        self.no(CARD)
        part = self.pick(["4", "5" + str(self.ri(1, 5)), "6011", "37"]) 
        part += self.digits(15 - len(part))
        good = luhn_check_digit(part)
        bad = str((int(good) + self.ri(1, 9)) % 10)
        return self._group_card(part + bad, sep)

    def test_card(self) -> str:
        self.no(CARD)
        return self._group_card(self.pick(sorted(TEST_CARDS)))

    def masked_card(self) -> str:
        self.no(CARD)
        return self.pick([f"**** **** **** {self.digits(4)}", f"XXXX-XXXX-XXXX-{self.digits(4)}",
                          f"ending in {self.digits(4)}", f"{self.pick(['4','5'])}{self.digits(5)}******{self.digits(4)}"])

    def iban(self, country: str | None = None, spaced: bool | None = None) -> str:
        self.yes(IBAN)
        return self._iban_value(country, spaced)

    def _iban_value(self, country: str | None = None, spaced: bool | None = None, break_check: bool = False) -> str:
        c = country or self.pick(["DE", "GB", "FR", "NL", "ES", "IT", "BE", "IE", "PL", "AT"])
        if c == "DE":
            bban = self.digits(18)
        elif c == "GB":
            bban = self.pick(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + self.digits(14)
        elif c == "FR":
            bban = self.digits(10) + self.digits(11) + self.digits(2)
        elif c == "NL":
            bban = self.pick(["ABNA", "INGB", "RABO", "SNSB", "TRIO"]) + self.digits(10)
        elif c == "ES":
            bban = self.digits(20)
        elif c == "IT":
            bban = self.letters(1) + self.digits(10) + self.digits(12)
        elif c == "BE":
            first10 = self.digits(10)
            chk = int(first10) % 97 or 97
            bban = first10 + f"{chk:02d}"
        elif c == "IE":
            bban = self.pick(["AIBK", "BOFI"]) + self.digits(14)
        elif c == "PL":
            bban = self.digits(24)
        else:  # AT
            bban = self.digits(16)
        cd = iban_check_digits(c, bban)
        if break_check:
            cd = f"{(int(cd) + self.ri(1, 40)) % 97 + 2:02d}"
            if cd == iban_check_digits(c, bban):
                cd = f"{(int(cd) + 1) % 97 + 2:02d}"
        s = c + cd + bban
        if spaced is None:
            spaced = self.coin(0.6)
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4)) if spaced else s

    def company_iban(self) -> str:
        """A valid IBAN that belongs to a business (not personal data)."""
        self.no(IBAN)
        return self._iban_value()

    def iban_invalid(self) -> str:
        self.no(IBAN)
        return self.pick([self._iban_value(break_check=True), "GB82 WEST 1234 5698 7654 32",
                          "DE89 3704 0044 0532 0130 00", "DE00 0000 0000 0000 0000 00",
                          "XX00 XXXX XXXX XXXX XXXX", "FR76 XXXX XXXX XXXX XXXX XXXX XXX"])

    def bank_account(self) -> str:
        self.yes(BANK)
        return self.pick([
            f"routing {self.pick(['021000021','026009593','121000358','011401533','322271627'])}, account {self.digits(self.ri(9,12), True)}",
            f"sort code {self.digits(2)}-{self.digits(2)}-{self.digits(2)}, account {self.digits(8)}",
            f"BSB {self.digits(3)}-{self.digits(3)} acct {self.digits(9)}",
            f"Kontonummer {self.digits(10)} (BLZ {self.digits(8)})",
            f"a/c {self.digits(11, True)}",
            f"account no. {self.digits(4)}-{self.digits(6)}-{self.digits(2)}",
        ])

    def company_bank_account(self) -> str:
        self.no(BANK)
        return self.pick([
            f"routing {self.digits(9)}, account {self.digits(10)} ({self.company().name})",
            f"sort code {self.digits(2)}-{self.digits(2)}-{self.digits(2)}, account {self.digits(8)} — {self.company().name} client account",
            f"Kontonummer {self.digits(10)}, BLZ {self.digits(8)} (Firmenkonto)",
        ])

    def ip_public(self, v6: bool | None = None) -> str:
        self.yes(IP)
        if v6 is None:
            v6 = self.coin(0.15)
        if v6:
            return f"2a0{self.ri(0,9)}:{self.hexs(4)}:{self.hexs(4)}:{self.hexs(2)}00::{self.hexs(1)}{self.hexs(3)}".replace(":0", ":")
        while True:
            a = self.ri(1, 223)
            b = self.ri(0, 255)
            if a in (10, 127, 0, 100) or (a == 169 and b == 254) or (a == 172 and 16 <= b <= 31) \
                    or (a == 192 and b in (0, 168)) or (a == 198 and b in (18, 19, 51)) or (a == 203 and b == 0):
                continue
            return f"{a}.{b}.{self.ri(0,255)}.{self.ri(1,254)}"

    def ip_nonpersonal(self) -> str:
        """Private, loopback, link-local or documentation address."""
        self.no(IP)
        return self.pick([
            f"10.{self.ri(0,255)}.{self.ri(0,255)}.{self.ri(1,254)}",
            f"192.168.{self.ri(0,255)}.{self.ri(1,254)}",
            f"172.{self.ri(16,31)}.{self.ri(0,255)}.{self.ri(1,254)}",
            "127.0.0.1", "0.0.0.0", f"169.254.{self.ri(0,255)}.{self.ri(1,254)}",
            f"192.0.2.{self.ri(1,254)}", f"198.51.100.{self.ri(1,254)}", f"203.0.113.{self.ri(1,254)}",
            "::1", f"fe80::{self.hexs(4)}:{self.hexs(4)}", f"2001:db8::{self.hexs(2)}",
            f"fd{self.hexs(2)}:{self.hexs(4)}::{self.ri(1,99)}", f"100.{self.ri(64,127)}.{self.ri(0,255)}.{self.ri(1,254)}",
        ])

    def mac(self, sep: str | None = None) -> str:
        self.yes(MAC)
        return self._mac_value(sep)

    def _mac_value(self, sep: str | None = None) -> str:
        sep = sep or self.pick([":", "-", ":"])
        parts = self.pick(MAC_OUIS).split(":") + [self.hexs(2, True) for _ in range(3)]
        s = sep.join(parts)
        return s.lower() if self.coin(0.4) else s

    def mac_nonpersonal(self) -> str:
        self.no(MAC)
        return self.pick(["ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", f"00:00:5E:00:53:{self.hexs(2, True)}",
                          f"01:00:5e:{self.hexs(2)}:{self.hexs(2)}:{self.hexs(2)}", "XX:XX:XX:XX:XX:XX",
                          f"02:42:ac:11:00:{self.hexs(2)}"])

    def passport(self, country: str | None = None) -> str:
        self.yes(PASSPORT)
        c = country or self.pick(["US", "UK", "DE", "FR", "IN", "IE", "CA", "NL"])
        if c in ("US", "UK"):
            return self.digits(9, True)
        if c == "DE":
            return "C" + "".join(self.pick("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8))
        if c == "FR":
            return f"{self.digits(2)}{self.letters(2)}{self.digits(5)}"
        if c == "IN":
            return f"{self.pick('JKLMNPRSTUVWZ')}{self.digits(7, True)}"
        if c == "IE":
            return f"P{self.letters(1)}{self.digits(7)}"
        if c == "CA":
            return f"{self.letters(2)}{self.digits(6)}"
        return f"{self.letters(2)}{self.pick(string.ascii_uppercase + string.digits)}{self.digits(6)}"

    def passport_specimen(self) -> str:
        self.no(PASSPORT)
        return self.pick(["L898902C3", "123456789", "000000000", "X0000000", "C01X00T47", "AB1234567", "XXXXXXXXX"])

    def drivers_license(self, country: str | None = None) -> str:
        self.yes(DL)
        c = country or self.pick(["CA_US", "NY", "FL", "UK", "TX", "DE", "IL"])
        if c == "CA_US":
            return f"{self.letters(1)}{self.digits(7)}"
        if c == "NY":
            return f"{self.digits(3)} {self.digits(3)} {self.digits(3)}"
        if c == "FL":
            return f"{self.letters(1)}{self.digits(3)}-{self.digits(3)}-{self.digits(2)}-{self.digits(3)}-{self.digits(1)}"
        if c == "UK":
            return f"{self.letters(5)}{self.digits(6)}{self.letters(2)}{self.digits(1)}{self.letters(2)}"
        if c == "TX":
            return self.digits(8, True)
        if c == "IL":
            return f"{self.letters(1)}{self.digits(3)}-{self.digits(4)}-{self.digits(4)}"
        return f"B{self.digits(3)}{self.letters(1)}{self.digits(5)}{self.digits(1)}"

    def dl_specimen(self) -> str:
        self.no(DL)
        return self.pick(["D1234567", "S123-456-78-901-0", "999 999 999", "MORGA753116SM9IJ", "X0000000", "DL-XXXXXXX"])

    def national_id(self, country: str | None = None) -> tuple[str, str]:
        """Returns (value, name of the id). Genuine."""
        self.yes(NATID)
        c = country or self.pick(["ES", "NL", "SE", "UK", "IN", "PL", "IT"])
        if c == "ES":
            n = self.ri(10000000, 99999999)
            return f"{n}{DNI_LETTERS[n % 23]}", "DNI"
        if c == "NL":
            while True:
                d = [self.ri(0, 9) for _ in range(8)]
                d[0] = self.ri(1, 9)
                s = sum(x * (9 - i) for i, x in enumerate(d)) % 11
                if s < 10:
                    return "".join(map(str, d + [s])), "BSN"
        if c == "SE":
            bd = self.date_between(1950, 2003)
            part = f"{bd.year % 100:02d}{bd.month:02d}{bd.day:02d}{self.digits(3)}"
            return f"{part[:6]}-{part[6:]}{luhn_check_digit(part)}", "personnummer"
        if c == "UK":
            return (f"{self.pick('ABCEGHJKLMNOPRSTWXYZ')}{self.pick('ABCEGHJKLMNPRSTWXYZ')} "
                    f"{self.digits(2)} {self.digits(2)} {self.digits(2)} {self.pick('ABCD')}"), "National Insurance number"
        if c == "IN":
            return f"{self.ri(2,9)}{self.digits(3)} {self.digits(4)} {self.digits(4)}", "Aadhaar"
        if c == "PL":
            bd = self.date_between(1950, 1999)
            base = f"{bd.year % 100:02d}{bd.month:02d}{bd.day:02d}{self.digits(4)}"
            w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
            chk = (10 - sum(int(x) * y for x, y in zip(base, w)) % 10) % 10
            return base + str(chk), "PESEL"
        return (f"{self.letters(6)}{self.digits(2)}{self.pick('ABCDEHLMPRST')}{self.digits(2)}"
                f"{self.letters(1)}{self.digits(3)}{self.letters(1)}"), "codice fiscale"

    def natid_specimen(self) -> str:
        self.no(NATID)
        return self.pick(["QQ 12 34 56 C", "99999999R", "00000000T", "123456782 (test BSN)",
                          "XXXXXX-XXXX", "AB 12 34 56 C (example)", "0000 0000 0000"])

    def tax_id(self) -> tuple[str, str]:
        self.yes(TAXID)
        kind = self.pick(["ITIN", "Steuer-ID", "PAN", "UTR", "TFN", "NIF"])
        if kind == "ITIN":
            return f"9{self.digits(2)}-{self.pick(['70','71','75','78','80','83','88','90','92','94','99'])}-{self.digits(4)}", "ITIN"
        if kind == "Steuer-ID":
            return f"{self.ri(1,9)}{self.digits(1)} {self.digits(3)} {self.digits(3)} {self.digits(3)}", "Steuer-ID"
        if kind == "PAN":
            return f"{self.letters(3)}P{self.letters(1)}{self.digits(4)}{self.letters(1)}", "PAN"
        if kind == "UTR":
            return f"{self.digits(5, True)} {self.digits(5)}", "UTR"
        if kind == "TFN":
            return f"{self.digits(3, True)} {self.digits(3)} {self.digits(3)}", "TFN"
        return f"{self.ri(10000000, 99999999)}{self.pick(DNI_LETTERS)}", "NIF"

    def company_tax_id(self) -> str:
        self.no(TAXID)
        return self.pick([f"EIN {self.digits(2, True)}-{self.digits(7)}", f"VAT DE{self.digits(9)}",
                          f"VAT GB {self.digits(3)} {self.digits(4)} {self.digits(2)}",
                          f"ABN {self.digits(2)} {self.digits(3)} {self.digits(3)} {self.digits(3)}",
                          f"TVA FR{self.digits(2)}{self.digits(9)}", f"GSTIN 27{self.letters(5)}{self.digits(4)}{self.letters(1)}1Z{self.digits(1)}"])

    def vin(self) -> str:
        self.yes(VIN)
        return self._vin_value()

    def _vin_value(self, valid: bool = True) -> str:
        wmi = self.pick(["1HG", "WVW", "WBA", "JTD", "1FA", "5YJ", "VF1", "ZFA", "KMH", "SAL", "YV1", "3VW"])
        body = "".join(self.pick(VIN_CHARS) for _ in range(5))
        tail = self.pick("KLMNPRSTVWXY123456789") + self.pick(VIN_CHARS) + self.digits(6)
        v = wmi + body + "0" + tail
        cd = vin_check_digit(v)
        if not valid:
            cd = self.pick([c for c in "0123456789X" if c != cd])
        return v[:8] + cd + v[9:]

    def vin_nonpersonal(self) -> str:
        self.no(VIN)
        return self.pick(["1HGBH41JXMN109186", "11111111111111111", "XXXXXXXXXXXXXXXXX",
                          "WDB1234567890TEST", "1M8GDM9AXKP042788", "VIN0000000000000"])

    def plate(self, country: str | None = None) -> str:
        self.yes(PLATE)
        c = country or self.pick(["US", "UK", "DE", "FR", "NL", "ES", "IT"])
        if c == "US":
            return self.pick([f"{self.ri(1,9)}{self.letters(3)}{self.digits(3)}", f"{self.letters(3)}-{self.digits(4)}",
                              f"{self.letters(3)} {self.digits(3)}"])
        if c == "UK":
            return f"{self.letters(2)}{self.ri(51,74) if self.coin() else self.digits(2)} {self.letters(3)}"
        if c == "DE":
            return f"{self.pick(['M','B','HH','K','S','F','L'])}-{self.letters(self.ri(1,2))} {self.ri(1,9999)}"
        if c == "FR":
            return f"{self.letters(2)}-{self.digits(3)}-{self.letters(2)}"
        if c == "NL":
            return f"{self.digits(2)}-{self.letters(3)}-{self.digits(1)}"
        if c == "ES":
            return f"{self.digits(4)} {''.join(self.pick('BCDFGHJKLMNPRSTVWXYZ') for _ in range(3))}"
        return f"{self.letters(2)} {self.digits(3)}{self.letters(2)}"

    def plate_nonpersonal(self) -> str:
        self.no(PLATE)
        return self.pick(["ABC 123", "ABC-1234", "XX-XXX-XX", "AB12 CDE (example)", "M-XY 0000", "YOUR PLATE"])

    def mrn(self) -> str:
        self.yes(MRN)
        return self.pick([self.digits(8), f"{self.digits(3)}-{self.digits(3)}-{self.digits(3)}",
                          f"MRN{self.digits(7)}", f"{self.letters(2)}{self.digits(6)}", f"H{self.digits(7)}",
                          f"{self.digits(2)}-{self.digits(6)}"])

    def health_ins(self) -> str:
        self.yes(HINS)
        c = self.pick(["mbi", "member", "ehic", "kvnr", "nhs"])
        if c == "mbi":
            return (f"{self.ri(1,9)}{self.pick('ACDEFGHJKMNPQRTUVWXY')}{self.pick('ACDEFGHJKMNPQRTUVWXY0123456789')}"
                    f"{self.digits(1)}-{self.pick('ACDEFGHJKMNPQRTUVWXY')}{self.pick('ACDEFGHJKMNPQRTUVWXY0123456789')}"
                    f"{self.digits(1)}-{self.pick('ACDEFGHJKMNPQRTUVWXY')}{self.pick('ACDEFGHJKMNPQRTUVWXY')}{self.digits(2)}")
        if c == "member":
            return f"{self.letters(3)}{self.digits(9)}"
        if c == "ehic":
            return f"80{self.digits(18)}"
        if c == "kvnr":
            return f"{self.letters(1)}{self.digits(9)}"
        return f"{self.digits(3)} {self.digits(3)} {self.digits(4)}"

    def condition(self) -> str:
        self.yes(COND)
        return self.pick(CONDITIONS)

    def medication(self) -> str:
        self.yes(MED)
        return self.pick(MEDICATIONS)

    def username(self, p: Person | None = None) -> str:
        self.yes(USER)
        if p is not None and self.labels.get(NAME) is True and self.coin(0.5):
            return self.pick([f"{_slug(p.first)[0]}{_slug(p.last)}", f"{_slug(p.first)}.{_slug(p.last)}",
                              f"{_slug(p.last)}{_slug(p.first)[0]}{self.ri(1,99)}"])
        return p.handle if p is not None and self.coin(0.5) and not (
            self.labels.get(NAME) is not True and (_slug(p.first) in p.handle or _slug(p.last) in p.handle)
        ) else self.anon_handle().lower()

    def system_user(self) -> str:
        self.no(USER)
        return self.pick(["root", "admin", "www-data", "postgres", "nginx", "svc-backup", "jenkins",
                          "ec2-user", "ubuntu", "deploy", "git", "nobody", "svc_etl", "daemon",
                          "guest", "sa", "ci-bot", "mysql", "ansible", "administrator"])

    def password(self) -> str:
        self.yes(PASSWORD)
        w = self.pick(["Tulip", "Falcon", "Maple", "river", "Sunset", "Kiwi", "orbit", "Pepper",
                       "Lighthouse", "granite", "Mango", "Violet", "copper", "Thunder"])
        return self.pick([f"{w}!{self.digits(4)}", f"{w.lower()}{self.pick(['horse','stone','cloud'])}{self.digits(2)}!",
                          f"{w}{self.ri(1960,2010)}#", f"{self.pick(string.ascii_uppercase)}{self.hexs(3)}{w}${self.digits(2)}",
                          f"{w}_{self.pick(['Blue','Red','Gold'])}{self.digits(3)}"])

    def password_placeholder(self) -> str:
        self.no(PASSWORD)
        return self.pick(["********", "${DB_PASSWORD}", "<your-password>", "changeme", "[REDACTED]",
                          "{{ vault.db_password }}", "••••••••", "%PASSWORD%", "<hidden>", "xxxxxxxx",
                          "os.environ['SMTP_PASS']", "REPLACE_ME"])

    def geo(self) -> str:
        self.yes(GEO)
        return self._geo_value()

    def _geo_value(self) -> str:
        lat = self.r.uniform(-38, 60)
        lon = self.r.uniform(-123, 151)
        d = self.ri(4, 6)
        return self.pick([f"{lat:.{d}f}, {lon:.{d}f}", f"{lat:.{d}f},{lon:.{d}f}",
                          f"lat {lat:.{d}f} lon {lon:.{d}f}", f"({lat:.{d}f}, {lon:.{d}f})"])

    def geo_nonpersonal(self) -> tuple[str, str]:
        self.no(GEO)
        return self.pick([("48.8584, 2.2945", "the Eiffel Tower"), ("40.6892, -74.0445", "the Statue of Liberty"),
                          ("51.5007, -0.1246", "Big Ben"), ("0.0, 0.0", "null island (default value)"),
                          ("-33.8568, 151.2153", "the Sydney Opera House"), ("52.5163, 13.3777", "the Brandenburg Gate"),
                          ("35.6586, 139.7454", "Tokyo Tower"), ("37.8199, -122.4783", "the Golden Gate Bridge"),
                          (f"{self.r.uniform(30,55):.4f}, {self.r.uniform(-10,20):.4f}", "our distribution centre"),
                          (f"{self.r.uniform(30,50):.3f}, {self.r.uniform(-120,-75):.3f}", "the us-east data center")])

    def device_id(self) -> str:
        self.yes(DEVICE)
        kind = self.pick(["idfa", "aaid", "imei", "androidid", "serial"])
        if kind in ("idfa", "aaid"):
            u = self.hexs(32, kind == "idfa")
            return f"{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}"
        if kind == "imei":
            part = self.pick(["35", "86", "01", "49"]) + self.digits(12)
            return part + luhn_check_digit(part)
        if kind == "androidid":
            return self.hexs(16)
        return f"{self.letters(2)}{self.digits(1)}{self.letters(1)}{self.digits(2)}{self.letters(1)}{self.digits(1)}{self.letters(4)}"

    def device_nonpersonal(self) -> str:
        self.no(DEVICE)
        return self.pick(["00000000-0000-0000-0000-000000000000", "SM-G991B", "iPhone15,2", "A2643",
                          f"i-0{self.hexs(16)}", f"node-{self.ri(1,40):02d}.prod.internal",
                          "Pixel 8 Pro", "MacBookAir10,1", f"rack{self.ri(1,12)}-srv{self.ri(1,40)}"])

    def personal_url(self, p: Person) -> str:
        self.yes(URL)
        named = self.labels.get(NAME) is True
        fl, ll = _slug(p.first), _slug(p.last)
        if named:
            return self.pick([f"https://{fl}{ll}.dev", f"https://www.linkedin.com/in/{fl}-{ll}-{self.hexs(5)}",
                              f"https://github.com/{fl[0]}{ll}", f"https://{fl}.{ll}.me",
                              f"https://{ll}{fl[0]}.wordpress.com", f"https://about.me/{fl}{ll}",
                              f"https://instagram.com/{fl}.{ll}{self.ri(1,99)}"])
        h = self.anon_handle().lower()
        return self.pick([f"https://github.com/{h}", f"https://{h.replace('_','').replace('.','')}.blogspot.com",
                          f"https://twitter.com/{h}", f"https://www.flickr.com/photos/{h}"])

    def company_url(self, c: Company | None = None) -> str:
        self.no(URL)
        c = c or self.company()
        return self.pick([f"https://www.{c.domain}", f"https://{c.domain}/support", f"https://docs.{c.domain}/api",
                          f"https://{c.domain}/careers", "https://example.com/profile", f"https://status.{c.domain}"])

    def employee_id(self) -> str:
        self.yes(EMPID)
        return self.pick([f"E{self.digits(6)}", f"EMP-{self.digits(5)}", f"{self.digits(7, True)}",
                          f"{self.letters(2)}{self.digits(5)}", f"W-{self.digits(4)}-{self.letters(1)}"])

    def salary(self, p: Person | None = None) -> str:
        self.yes(SALARY)
        cur = self.pick(["$", "€", "£", "USD ", "EUR ", "₹", "CHF "])
        if cur == "₹":
            v = self.ri(6, 45)
            return f"₹{v},{self.ri(0,99):02d},000 per annum"
        v = self.ri(28, 185) * 1000 + self.pick([0, 0, 250, 500, 750])
        unit = self.pick(["per year", "/yr", "annually", "a year", "gross per annum", "base"])
        if self.coin(0.2):
            return f"{cur}{v/12:,.2f} per month"
        return f"{cur}{v:,} {unit}"

    def student_id(self) -> str:
        self.yes(STUDENT)
        return self.pick([f"S{self.digits(7)}", f"{self.ri(2015,2024)}{self.digits(5)}", f"U{self.digits(8)}",
                          f"{self.digits(9, True)}", f"STU-{self.digits(6)}"])

    def customer_id(self) -> str:
        self.yes(CUSTID)
        return self.pick([f"C-{self.digits(7)}", f"CUST{self.digits(8)}", f"{self.digits(10, True)}",
                          f"CID-{self.hexs(6, True)}", f"K{self.digits(9)}", f"cus_{self.hexs(14)}"])

    def account_number(self) -> str:
        self.yes(ACCT)
        return self.pick([f"{self.digits(10, True)}", f"{self.digits(4)}-{self.digits(4)}-{self.digits(3)}",
                          f"AC{self.digits(9)}", f"{self.digits(3)}-{self.digits(6)}-{self.digits(1)}",
                          f"{self.letters(1)}{self.digits(11)}"])


def _register(method, t):
    def wrapper(self, *a, **kw):
        v = method(self, *a, **kw)
        self.values.setdefault(t, []).append(str(v[0] if isinstance(v, tuple) else v))
        return v
    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


for _m, _t in {"name": NAME, "first": NAME, "employer": EMPLOYER, "email": EMAIL, "phone": PHONE,
               "fax": FAX, "dob": DOB, "age": AGE, "ssn": SSN, "card": CARD, "iban": IBAN,
               "bank_account": BANK, "ip_public": IP, "mac": MAC, "passport": PASSPORT,
               "drivers_license": DL, "national_id": NATID, "tax_id": TAXID, "vin": VIN,
               "plate": PLATE, "mrn": MRN, "health_ins": HINS, "condition": COND,
               "medication": MED, "username": USER, "password": PASSWORD, "geo": GEO,
               "device_id": DEVICE, "personal_url": URL, "employee_id": EMPID, "salary": SALARY,
               "student_id": STUDENT, "customer_id": CUSTID, "account_number": ACCT}.items():
    setattr(B, _m, _register(getattr(B, _m), _t))


TEST_CARDS = {"4242424242424242", "4111111111111111", "5555555555554444", "378282246310005",
              "4000056655665556", "6011111111111117", "5105105105105100", "4012888888881881",
              "371449635398431", "2223003122003222"}


# ---------------------------------------------------------------------------
# Family registry
# ---------------------------------------------------------------------------
@dataclass
class Family:
    id: str
    kind: str  # "text" | "json"
    fn: Callable[[B], object]
    absent: tuple[str, ...] = ()


FAMILIES: list[Family] = []


def fam(fid: str, kind: str, absent: tuple[str, ...] | list[str] = ()):
    def deco(fn):
        if any(f.id == fid for f in FAMILIES):
            raise ValueError(f"duplicate family {fid}")
        FAMILIES.append(Family(fid, kind, fn, tuple(absent)))
        return fn
    return deco


def dumps_json(b: B, obj) -> str:
    style = b.ri(0, 3)
    if style == 0:
        return json.dumps(obj, ensure_ascii=False)
    if style == 1:
        return json.dumps(obj, ensure_ascii=False, indent=2)
    if style == 2:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=b.coin(0.5))
    return json.dumps(obj, ensure_ascii=False, indent=b.pick([1, 4]), sort_keys=True)


# ===========================================================================
# Template families.  Conventions: a family gets a builder ``b`` and returns a
# str (free text) or a dict/list (serialised to a JSON string).  ``b.coin()``
# decides whether a genuine value is included; decoys are usually always
# present so that a negative label is a *hard* negative.
# ===========================================================================
ABS_TECH = (COND, MED, RELIGION, ORIENT, SALARY, MARITAL, POB, PASSPORT, ETHNIC)
ABS_MED = (CARD, IBAN, MAC, VIN, PLATE, SALARY, POLIT, PASSWORD, STUDENT)
ABS_FIN = (COND, MED, ORIENT, RELIGION, MAC, GEO, STUDENT, MRN)
ABS_GEN = (MRN, VIN, MAC, ORIENT, POLIT, STUDENT, HINS)


def _sentences(b: B, items: list[str]) -> str:
    items = [i for i in items if i]
    return " ".join(items)


# ---------------------------------------------------------------- support --
@fam("support_ticket", "text", absent=(COND, MED, SALARY, RELIGION, PASSPORT, VIN, MRN, NATID, STUDENT))
def _f(b: B):
    p, c = b.person(), b.company()
    issue = b.pick([
        f"I was charged twice for order #{b.digits(7)} and need one of the payments reversed.",
        "I can't log in since the app update, it keeps saying my session expired.",
        f"My parcel (tracking {b.letters(2)}{b.digits(9)}{b.pick(['GB','DE','US'])}) shows delivered but nothing arrived.",
        "Please cancel my subscription before the next renewal.",
        "The replacement part you sent is the wrong size.",
        "I'd like to change the delivery slot for tomorrow.",
    ])
    greet = b.pick(["Hi,", "Hello support,", "Dear team,", "hey there", "Good morning,", "To whom it may concern,"])
    bits = []
    if b.coin():
        bits.append(b.pick(["Please reply to {e}.", "My email is {e}.", "You can email me at {e} instead of this address.",
                            "Contact: {e}"]).format(e=b.email(p)))
    if b.coin():
        bits.append(b.pick(["Call me back on {t} any time after 5.", "Mobile: {t}", "My number is {t}.",
                            "Best reached at {t}."]).format(t=b.phone(p.country)))
    if b.coin():
        sign = b.pick(["Thanks,\n{n}", "Regards, {n}", "-- {n}", "Cheers\n{n}"]).format(n=b.name(p))
    else:
        b.no(NAME)
        sign = b.pick(["Thanks", "Sent from my iPhone", "Regards", ""])
    footer = b.pick([
        f"\n\n---\nThis ticket was created via {b.role_email(c)}. Hotline: {b.phone_tollfree()} (Mon-Fri).",
        f"\n\n[auto] Replies to {b.role_email(c)} are logged. For urgent issues call {b.phone_tollfree()}.",
        f"\n\n> {c.short} Customer Care | {b.role_email(c)} | {b.phone_switchboard()}",
    ])
    return f"Subject: {b.pick(['Help', 'Problem with my order', 'Account issue', 'Urgent', 'Request'])}\n\n{greet}\n{issue} {' '.join(bits)}\n\n{sign}{footer}"


@fam("chat_transcript", "text", absent=(COND, SALARY, RELIGION, VIN, MRN, PASSPORT, TAXID, NATID, EMPID))
def _f(b: B):
    p, c = b.person(), b.company()
    agent = b.pick(["Agent", "Support bot", "Assistant", "Rep #" + b.digits(3)])
    cust = "Customer" if b.coin(0.5) else "Visitor"
    lines = [f"[{b.ts()}] {agent}: Hi, thanks for contacting {c.short}. How can I help?"]
    lines.append(f"{cust}: {b.pick(['my order hasnt arrived', 'i need to update my address', 'wrong item delivered', 'can u resend the invoice'])}")
    lines.append(f"{agent}: Sure. Can you confirm the email or phone on the account?")
    if b.coin():
        lines.append(f"{cust}: {b.pick(['its', 'sure', 'ok', ''])} {b.email(p)}")
    else:
        lines.append(f"{cust}: the one i signed up with, i dont remember which")
    if b.coin():
        lines.append(f"{cust}: new address is {b.home_address(p)}")
    else:
        lines.append(f"{agent}: Noted. Our returns hub is at {b.business_address()}.")
    if b.coin():
        lines.append(f"{cust}: and my cell {b.phone(p.country)} if the driver needs it")
    else:
        lines.append(f"{agent}: If anything else comes up, call {b.phone_tollfree()}.")
    if b.coin():
        lines.append(f"{cust}: name on the order is {b.name(p)}")
    else:
        b.no(NAME)
    lines.append(f"{agent}: {b.pick(['All done!', 'Updated, anything else?', 'Thanks, have a good day.'])}")
    return "\n".join(lines)


@fam("voicemail_transcript", "text", absent=(CARD, IBAN, MAC, VIN, COND, SALARY, PASSPORT))
def _f(b: B):
    p = b.person("US" if b.coin(0.5) else None)
    named = b.coin()
    who = b.pick(["Hi, this is {n}", "Hey it's {n}", "Hello, {n} calling", "Good afternoon, my name is {n}"]).format(n=b.name(p)) if named else b.pick(["Hi, um", "Hello, I'm calling", "Hey"])
    if not named:
        b.no(NAME)
    about = b.pick(["about the quote for the kitchen", "regarding my prescription pickup", "about the apartment viewing",
                    "about my car's service appointment", "about the invoice you sent"])
    if b.coin():
        cb = b.pick(["please call me back at {t}", "my number is {t}", "you can reach me on {t}"]).format(t=b.phone(p.country))
    else:
        cb = b.pick(["I'll try the main line again at {t}", "I got this number from the flyer, {t}",
                     "I called {t} but nobody picked up"]).format(t=b.pick([b.phone_tollfree(p.country), b.phone_switchboard()]))
    return f"Voicemail ({b.ri(0,2)}:{b.ri(10,59)}) transcribed: \"{who}, {about}. {cb.capitalize()}. Thanks, bye.\""


@fam("refund_request", "text", absent=(COND, MED, RELIGION, MAC, GEO, VIN, MRN))
def _f(b: B):
    p, c = b.person(), b.company("retail")
    inv = b.pick([f"Invoice {b.card_luhn_fail('')}", f"order {b.card_luhn_fail('-')}", f"reference {b.digits(12)}"]) if b.coin(0.6) else f"order {b.digits(8)}"
    lines = [b.pick(["Refund request", "Re: refund", "Chargeback follow-up"]), ""]
    lines.append(f"Regarding {inv} dated {b.other_date()}: the item was returned on {b.other_date()}.")
    if b.coin():
        lines.append(b.pick(["Please refund to the card I paid with: {x}.", "Card used: {x}, exp {m}/{y}.",
                             "Refund to {x} please (exp {m}/{y})."]).format(
            x=b.card(), m=f"{b.ri(1,12):02d}", y=b.ri(25, 30)))
    else:
        lines.append(f"The payment was made with the card {b.masked_card()}.")
    if b.coin(0.4):
        lines.append(f"Or transfer it to my account {b.iban()}.")
    if b.coin():
        lines.append(f"Thanks, {b.name(p)}")
    else:
        b.no(NAME)
    lines.append(f"\n{c.name} | Remittance: {b.company_iban()} | {b.company_tax_id()}")
    return "\n".join(lines)


@fam("delivery_issue", "text", absent=(COND, MED, SALARY, SSN, PASSPORT, MRN, RELIGION, NATID, HINS))
def _f(b: B):
    p = b.person()
    wh = b.business_address()
    if b.coin():
        dest = b.pick(["to my home at {a}", "to {a} (my flat, ring twice)", "to my place: {a}"]).format(a=b.home_address(p))
    else:
        dest = b.pick(["to the pickup locker at the train station", "to my office reception",
                       "to the parcel shop next to the supermarket"])
    name = f"{b.name(p)} here. " if b.coin() else ""
    if not name:
        b.no(NAME)
    return (f"{name}{b.pick(['My package was supposed to go', 'The courier was meant to deliver', 'Shipment should have gone'])} {dest}, "
            f"but the tracking says it is back at the depot ({wh}). "
            f"{b.pick(['Can you re-send it?', 'Please arrange redelivery.', 'What happened?'])}")


@fam("complaint_letter", "text", absent=(CARD, MAC, IP, VIN, USER, PASSWORD, DEVICE))
def _f(b: B):
    p, c = b.person("UK" if b.coin(0.5) else None), b.company()
    head = []
    if b.coin():
        head.append(b.name(p))
        head.append(b.home_address(p))
    else:
        b.no(NAME)
        head.append("(address withheld)")
    head.append(b.other_date(3))
    to = f"{c.name}\nComplaints Department\n{b.business_address()}"
    body = b.pick([
        "I am writing to complain about the service I received at your branch last week.",
        "I wish to formally dispute the late fee applied to my account.",
        "Despite three phone calls, my boiler repair has still not been scheduled.",
    ])
    extra = ""
    if b.coin(0.5):
        extra = f" My customer number is {b.customer_id()}."
    if b.coin(0.4):
        extra += f" I have been a customer since {b.other_date(3)}."
    return "\n".join(head) + f"\n\n{to}\n\nDear Sir or Madam,\n\n{body}{extra}\n\nYours faithfully"


@fam("account_recovery", "text", absent=(COND, MED, SALARY, VIN, PLATE, IBAN, RELIGION))
def _f(b: B):
    p, c = b.person(), b.company("tech")
    lines = [f"From: {b.role_email(c)}", f"Subject: Identity verification for account recovery", ""]
    q = []
    if b.coin():
        q.append(f"Username: {b.username(p)}")
    else:
        q.append("Username: (not provided)")
        b.no(USER)
    if b.coin():
        q.append(f"Date of birth given: {b.dob(p)}")
    else:
        q.append(f"Account created: {b.other_date()}")
    q.append(f"Last successful sign-in: {b.other_date()} from {b.ip_public() if b.coin() else b.ip_nonpersonal()}")
    if b.coin():
        q.append(f"Recovery email on file: {b.email(p)}")
    if b.coin(0.4):
        q.append(f"Account holder: {b.name(p)}")
    else:
        b.no(NAME)
    lines += q
    lines.append(f"\nIf you did not request this, contact {b.role_email(c)} or call {b.phone_tollfree()}.")
    return "\n".join(lines)


@fam("billing_invoice", "text", absent=(COND, MED, RELIGION, ORIENT, GEO, DEVICE, USER))
def _f(b: B):
    c = b.company()
    p = b.person()
    lines = [f"INVOICE {b.card_luhn_fail('')}", f"{c.name} · {b.business_address()}", f"Invoice date: {b.other_date()}",
             f"Due date: {b.other_date()}", ""]
    if b.coin():
        lines.append(f"Bill to: {b.name(p)}, {b.home_address(p)}")
    else:
        b.no(NAME)
        lines.append(f"Bill to: {b.pick(['Accounts Payable', 'Purchasing Dept.'])}, {b.company().name}, {b.business_address()}")
    lines.append(f"Customer no.: {b.customer_id()}" if b.coin(0.5) else f"PO: {b.digits(6)}")
    for _ in range(b.ri(1, 3)):
        lines.append(f"  {b.pick(['Consulting hours', 'Cloud storage 1TB', 'Office chairs x4', 'Annual licence', 'Shipping'])}  {b.money(20, 4000)}")
    lines.append(f"\nPlease pay to {b.company_iban()} (BIC {b.letters(4)}{b.pick(['DE','GB','NL','FR'])}{b.letters(2)}) or call {b.phone_switchboard()}.")
    lines.append(f"{b.company_tax_id()}")
    return "\n".join(lines)


# ------------------------------------------------------------------ email --
@fam("email_signature", "text", absent=(COND, MED, SSN, CARD, RELIGION, ORIENT, MRN, MARITAL, NATID))
def _f(b: B):
    p, c = b.person(), b.company()
    body = b.pick([
        "Following up on our call, attached is the revised proposal.",
        "Could we move Thursday's meeting to 3pm?",
        "Thanks for the quick turnaround on the contract.",
        "Please find the signed NDA attached.",
    ])
    sig = []
    if b.coin():
        sig.append(b.name(p))
        if b.coin():
            sig.append(b.val(JOB, b.pick(JOB_TITLES)))
        if b.coin():
            sig.append(b.employer(c))
        if b.coin():
            sig.append(f"M: {b.phone(p.country)}")
        sig.append(f"T: {b.phone_switchboard()}")
    else:
        b.no(NAME, JOB, EMPLOYER)
        sig.append(f"The {c.short} team")
        sig.append(f"{b.role_email(c)} | {b.phone_switchboard()}")
    disclaimer = b.pick(["", "\nThis e-mail may contain confidential information. If you are not the intended recipient, notify the sender.",
                         f"\nVisit {b.company_url(c)}"])
    return f"{b.pick(['Hi all,', 'Dear colleagues,', 'Hello,'])}\n\n{body}\n\nBest,\n" + "\n".join(sig) + disclaimer


@fam("newsletter_footer", "text", absent=(COND, MED, SSN, CARD, DOB, PASSPORT, SALARY, AGE))
def _f(b: B):
    c = b.company("retail")
    b.no(NAME)
    head = b.pick(["Spring sale: 20% off everything", "Your monthly product digest", "New features in the app",
                   "Last chance: early-bird tickets"])
    p = b.person()
    greet = f"Hi {b.first(p)}," if b.coin(0.4) else "Hi there,"
    text = (f"{head}\n\n{greet}\n{b.pick(['Check out what is new this month.', 'We have exciting updates.', 'Thanks for being a subscriber.'])}\n\n"
            f"You are receiving this because you subscribed at {b.company_url(c)}.\n"
            f"Sent by {b.role_email(c)} — please do not reply.\n{c.name}, {b.business_address()}\n"
            f"Questions? {b.phone_tollfree()}")
    if b.coin(0.4):
        text += f"\nThis message was sent to {b.email(p)}. Unsubscribe: {b.company_url(c)}/unsub?u={b.hexs(12)}"
    return text


@fam("offer_letter", "text", absent=(COND, MED, CARD, IP, MAC, GEO, DEVICE, PLATE))
def _f(b: B):
    p, c = b.person(), b.company()
    named = b.coin(0.7)
    dear = f"Dear {b.name(p, b.pick(['full', 'first']))}," if named else "Dear Candidate,"
    if not named:
        b.no(NAME)
    title = b.pick(JOB_TITLES)
    if named and b.coin():
        b.val(JOB, title)
        b.val(EMPLOYER, c.name)
        sal = b.salary() if b.coin(0.8) else None
        start = b.other_date(3)
        s = (f"{dear}\n\nWe are delighted to offer you the position of {title} at {c.name}, starting {start}. "
             + (f"Your starting salary will be {sal}, paid monthly. " if sal else "")
             + (f"Your employee number will be {b.employee_id()}. " if b.coin(0.5) else "")
             + f"Please sign and return by {b.other_date(3)}.\n\nHR Team\n{b.role_email(c)}")
        return s
    b.no(SALARY)
    return (f"{dear}\n\nThank you for your interest in the {title} role. The advertised band is {b.money(40000, 60000, '$')[:-3]}–"
            f"{b.money(60001, 90000, '$')[:-3]} depending on experience. Unfortunately we have decided not to proceed. "
            f"\n\nRecruiting | {b.role_email(c)}")


@fam("password_reset_email", "text", absent=(COND, MED, SALARY, SSN, CARD, ADDRESS, DOB, RELIGION))
def _f(b: B):
    c = b.company("tech")
    p = b.person()
    lines = [f"From: {c.short} <{b.role_email(c)}>"]
    if b.coin():
        lines.append(f"To: {b.email(p)}")
    else:
        b.no(EMAIL)
    lines.append("Subject: Reset your password\n")
    if b.coin():
        lines.append(f"We received a request to reset the password for the account {b.username(p)}.")
    else:
        lines.append("We received a request to reset the password for your account.")
        b.no(USER)
    if b.coin():
        lines.append(f"Your temporary password is {b.password()}. You will be asked to change it at first sign-in.")
    else:
        lines.append(b.pick([
            f"Never share your password. We will never ask for it by email. Stored value: {b.password_placeholder()}",
            f"Click the link to choose a new password (min. 12 characters). Current password: {b.password_placeholder()}",
        ]))
    lines.append(f"Request came from IP {b.ip_public() if b.coin() else b.ip_nonpersonal()} at {b.ts()}.")
    lines.append(f"If this wasn't you, contact {b.role_email(c)}.")
    return "\n".join(lines)


@fam("email_forward_thread", "text", absent=(COND, MED, SSN, CARD, MRN, VIN, PASSPORT))
def _f(b: B):
    p, q, c = b.person(), b.person(), b.company()
    named = b.coin(0.6)
    if named:
        frm = f"{b.name(p)} <{b.email(p)}>" if b.coin() else b.name(p)
        to = f"{b.name(q)}"
    else:
        b.no(NAME)
        frm = b.role_email(c)
        to = b.role_email(b.company())
    body = b.pick([
        "FYI — see below. Can you handle this one?",
        "Forwarding the vendor reply. The renewal is due next month.",
        "Looping you in on this.",
    ])
    inner = (f"---------- Forwarded message ---------\nFrom: {b.role_email(c)}\nDate: {b.other_date(3)}\n"
             f"Subject: {b.pick(['Contract renewal', 'Quote #' + b.digits(5), 'Service outage report'])}\n\n"
             f"{b.pick(['Please find the quote attached.', 'Service will be restored by Monday.', 'Kindly confirm receipt.'])} "
             f"Call {b.phone_switchboard()} with any questions.")
    extra = f"\nMy direct line: {b.phone(p.country)}" if named and b.coin(0.5) else ""
    return f"From: {frm}\nTo: {to}\n\n{body}{extra}\n\n{inner}"


@fam("git_commit_log", "text", absent=(COND, MED, SSN, CARD, SALARY, DOB, ADDRESS, PASSPORT, NATID, MARITAL))
def _f(b: B):
    out = []
    for _ in range(b.ri(2, 4)):
        if b.coin():
            p = b.person()
            who = f"{b.name(p, 'full')} <{b.email(p)}>"
        else:
            who = b.pick([f"dependabot[bot] <{b.role_email(b.company())}>", f"CI Bot <{b.role_email()}>",
                          f"Release Automation <{b.role_email()}>", f"renovate[bot] <{b.role_email()}>"])
            b.no(NAME)
        out.append(f"commit {b.hexs(40)}\nAuthor: {who}\nDate:   {b.other_date(3)}\n\n    "
                   + b.pick(["Fix null pointer in parser", "Bump lodash from 4.17.20 to 4.17.21", "Add retry to upload",
                             "Refactor config loading", "Update README", "Release v" + f"{b.ri(1,4)}.{b.ri(0,20)}.{b.ri(0,9)}"]) + "\n")
    return "\n".join(out)


# -------------------------------------------------------------- commerce --
@fam("restaurant_review", "text", absent=(SSN, CARD, IBAN, MRN, PASSPORT, IP, MAC, SALARY, NATID, EMPID))
def _f(b: B):
    food = b.lookalike("food")
    place = b.lookalike("place")
    p = b.person()
    txt = b.pick([
        f"Stopped at {food} near {place} after work. The shake was great, service slow.",
        f"Honestly {food} by {place} has gone downhill. 2/5.",
        f"Best late-night spot around {place}: {food}, open till 2am.",
        f"We grabbed {food} before the train at {place}. Cheap and fast.",
    ])
    if b.coin():
        txt += " " + b.pick(["— review by {n}", "Posted by {n}, local guide", "({n}, verified visit)"]).format(n=b.name(p))
    else:
        txt += " " + b.pick(["— posted by a local guide", "(verified visit)", ""])
    if b.coin(0.3):
        txt += f" Booked via the app, they texted me at {b.phone(p.country)}."
    return txt


@fam("travel_itinerary", "text", absent=(COND, MED, SSN, CARD, SALARY, MAC, IP, MRN))
def _f(b: B):
    p = b.person()
    place = b.lookalike("place")
    place2 = b.lookalike("place")
    lines = [b.pick(["Your trip summary", "Itinerary", "Booking confirmed"]), ""]
    if b.coin():
        lines.append(f"Passenger: {b.name(p, b.pick(['upper', 'full']))}")
        if b.coin(0.5):
            lines.append(f"Passport: {b.passport()}")
    else:
        b.no(NAME)
        lines.append(f"Passengers: {b.ri(1,4)} adult(s)")
    lines.append(f"Depart {place} {b.other_date(4)} {b.ri(6,22):02d}:{b.pick(['05','20','45'])} → arrive {place2}")
    lines.append(f"Booking ref {b.letters(6)} · Seat {b.ri(1,40)}{b.pick('ABCDEF')}")
    if b.coin(0.4):
        lines.append(f"Emergency contact phone: {b.phone()}")
    lines.append(f"Changes: {b.phone_tollfree()}")
    return "\n".join(lines)


@fam("product_catalog", "text", absent=(SSN, CARD, DOB, MRN, PASSPORT, COND, EMAIL, IP, AGE))
def _f(b: B):
    items = []
    for _ in range(b.ri(3, 5)):
        items.append(f"- {b.lookalike('brand')} {b.pick(['slim jeans', 'sunglasses', 'leather boots', 'eau de toilette', 'crossbody bag', 'watch'])} "
                     f"SKU {b.letters(3)}-{b.digits(5)} {b.money(19, 400)}")
    p = b.person()
    tail = ""
    if b.coin(0.45):
        tail = f"\n\nPersonal shopper notes: pulled for {b.name(p)}, ship to {b.home_address(p)}."
    return "New arrivals this week:\n" + "\n".join(items) + f"\nStore: {b.business_address()}" + tail


@fam("store_locator", "text", absent=(SSN, CARD, DOB, MRN, COND, MED, SALARY, USER, AGE))
def _f(b: B):
    c = b.company()
    out = [f"{c.short} locations near you:"]
    for _ in range(b.ri(2, 3)):
        g, label = b.geo_nonpersonal()
        out.append(f"• {b.lookalike('place')} branch — {b.business_address()} — {b.phone_switchboard()} — {g}")
    b.no(NAME, PHONE, ADDRESS, GEO)
    if b.coin(0.4):
        p = b.person()
        out.append(f"Saved as favourite by member {b.customer_id()} (home: {b.home_postcode(p)}).")
    return "\n".join(out)


@fam("loyalty_signup_text", "text", absent=(COND, MED, SSN, IBAN, MAC, VIN, SALARY, POB, NATID))
def _f(b: B):
    p, c = b.person(), b.company("retail")
    parts = [f"Welcome to {c.short} Rewards!"]
    if b.coin():
        parts.append(f"Member: {b.name(p)}")
    else:
        b.no(NAME)
    parts.append(f"Member number: {b.customer_id()}" if b.coin() else f"Member number format: {b.pick(['C-#######', 'CUST########', 'ten digits'])}")
    if not b.labels.get(CUSTID):
        b.no(CUSTID)
    if b.coin():
        parts.append(f"Birthday on file: {b.dob(p)} (you'll get a treat that week).")
    else:
        parts.append(f"Points expire on {b.other_date()}.")
    parts.append(f"Questions: {b.role_email(c)}")
    return "\n".join(parts)


# --------------------------------------------------------------- clinical --
@fam("clinical_note", "text", absent=(CARD, IBAN, MAC, IP, VIN, PLATE, SALARY, PASSWORD, USER, EMPID, STUDENT, DL))
def _f(b: B):
    p = b.person()
    hdr = []
    if b.coin():
        hdr.append(f"Patient: {b.name(p, b.pick(['full', 'lastfirst', 'upper']))}")
    else:
        b.no(NAME)
        hdr.append("Patient: [see chart]")
    if b.coin():
        hdr.append(f"DOB: {b.dob(p)}")
    else:
        hdr.append(f"Visit date: {b.other_date()}")
    if b.coin():
        hdr.append(f"MRN: {b.mrn()}")
    else:
        b.no(MRN)
        hdr.append(f"Room {b.ri(100, 699)}, bed {b.pick('AB')}")
    cond = b.condition() if b.coin() else None
    med = b.medication() if b.coin() else None
    s = b.pick(["S: ", "Subjective: ", "HPI: "]) + b.pick([
        "Pt reports worsening fatigue over 2 weeks.", "Presents for routine follow-up.",
        "Complains of intermittent chest tightness on exertion.", "Here for medication review.",
    ])
    a = ("A/P: " + (f"Known {cond}. " if cond else "No chronic conditions documented. ")
         + (f"Continue {med}. " if med else "No current medications. ")
         + b.pick(["RTC 3 months.", "Labs ordered.", "Refer to specialist.", "Lifestyle counselling given."]))
    if not cond:
        b.no(COND)
    if not med:
        b.no(MED)
    return "\n".join(hdr) + "\n\n" + s + "\n" + a


@fam("discharge_summary", "text", absent=(CARD, IBAN, MAC, IP, VIN, SALARY, USER, POLIT, ORIENT))
def _f(b: B):
    p = b.person()
    named = b.coin(0.6)
    who = b.name(p) if named else "The patient"
    if not named:
        b.no(NAME)
    age_part = f", {b.age(p)}-year-old," if b.coin(0.5) and named else ""
    adm, dis = b.date_pair(30, 3)
    cond = b.condition()
    meds = b.medication()
    text = (f"DISCHARGE SUMMARY\nAdmitted {adm}; discharged {dis}.\n\n{who}{age_part} was admitted with "
            f"an exacerbation of {cond} and treated with IV fluids and {meds}. ")
    if not named and not age_part:
        # no identifiable person: make the clinical content non-personal
        b.labels.pop(COND, None)
        b.labels.pop(MED, None)
        b.values.pop(COND, None)
        b.values.pop(MED, None)
        b.no(COND, MED)
    if named and b.coin(0.5):
        text += f"Follow-up with GP; pharmacy contact {b.phone(p.country)}. "
    if named and b.coin(0.5):
        text += f"Insurance member ID {b.health_ins()}."
    return text


@fam("public_health_bulletin", "text", absent=(NAME, EMAIL, SSN, CARD, DOB, MRN, PASSPORT, ADDRESS))
def _f(b: B):
    b.no(COND, MED, AGE, ETHNIC)
    cond = b.pick(CONDITIONS)
    med = b.pick(MEDICATIONS)
    pct = b.ri(3, 61)
    return b.pick([
        f"Quarterly bulletin: {pct}% of our registered patients have {cond}; uptake of {med} rose to {b.ri(20, 80)}%. "
        f"Adults aged {b.ri(40, 65)}+ are invited for screening. Call {b.phone_tollfree()} to book.",
        f"Clinic audit {b.ri(2019, 2024)}: {b.ri(120, 900)} patients with {cond} were reviewed; mean age {b.ri(38, 71)}. "
        f"{b.ri(5, 30)}% of the cohort identified as {b.pick(ETHNICITIES)}.",
        f"Reminder: {med} is on back-order until {b.other_date(3)}. Patients with {cond} should contact the pharmacy line {b.phone_switchboard()}.",
        f"Flu season update — {pct} cases of {cond}-related admissions this month across the region. No individual data is shared in this bulletin.",
    ])


@fam("appointment_reminder_sms", "text", absent=(SSN, CARD, IBAN, MAC, IP, SALARY, VIN, POLIT))
def _f(b: B):
    p, c = b.person(), b.company("health")
    when = f"{b.other_date(b.pick([3, 4, 0]))} at {b.ri(8,17)}:{b.pick(['00','15','30','45'])}"
    who = f"Hi {b.first(p)}, " if b.coin() else ""
    if not who:
        b.no(NAME)
    clinic = b.pick(["Dr. appointment", "dental check-up", "physio session", "vaccination", "eye test"])
    s = f"{who}reminder of your {clinic} on {when} at {c.short}. Reply C to confirm or call {b.phone_switchboard()}."
    if b.coin(0.45):
        s += f" Sent to {b.phone(p.country)}."
    if b.coin(0.3):
        s += f" Please bring your insurance card ({b.health_ins()})."
    else:
        s += f" Please bring your insurance card. Payer ID {b.digits(5)}."
        b.no(HINS)
    return s


@fam("pharmacy_refill", "text", absent=(CARD, IBAN, MAC, IP, VIN, SALARY, USER, PASSPORT))
def _f(b: B):
    p = b.person()
    lines = [b.pick(["Refill request", "Rx refill", "Prescription renewal"])]
    if b.coin():
        lines.append(f"Patient: {b.name(p)}  DOB {b.dob(p)}" if b.coin() else f"Patient: {b.name(p)}")
        lines.append(f"Medication: {b.medication()}" if b.coin(0.7) else f"Medication: see attached ({b.pick(['generic', 'brand'])})")
        if not b.labels.get(MED):
            b.no(MED)
        if b.coin(0.5):
            lines.append(f"Plan member ID: {b.health_ins()}")
    else:
        b.no(NAME, MED)
        lines.append(f"Stock check: {b.pick(MEDICATIONS)} — {b.ri(0, 40)} packs on hand, reorder level {b.ri(5, 20)}.")
    lines.append(f"Pharmacy fax: {b.phone_switchboard(t=FAX)}")
    lines.append(f"Insurer payer ID: {b.digits(5)}")
    b.no(HINS)
    return "\n".join(lines)


@fam("lab_result_message", "text", absent=(CARD, IBAN, MAC, VIN, SALARY, POLIT, PASSPORT, USER))
def _f(b: B):
    p = b.person()
    named = b.coin(0.6)
    greet = f"Dear {b.name(p, 'full')}," if named else "Dear patient,"
    if not named:
        b.no(NAME)
    test = b.pick(["HbA1c", "lipid panel", "TSH", "complete blood count", "HIV viral load", "vitamin D"])
    res = b.pick(["within the normal range", "slightly elevated", "consistent with your diagnosis", "ready to discuss"])
    txt = f"{greet}\nYour {test} result from {b.other_date()} is {res}."
    if named and b.coin():
        txt += f" This is consistent with your {b.condition()}; keep taking {b.medication()}."
    else:
        b.no(COND, MED)
    if b.coin(0.4):
        txt += f" Reference: MRN {b.mrn()}."
    txt += f"\nQuestions? {b.role_email()} or {b.phone_switchboard()}"
    return txt


@fam("insurance_claim_note", "text", absent=(MAC, IP, VIN, USER, PASSWORD, ORIENT, POLIT))
def _f(b: B):
    p = b.person("US")
    lines = [f"Claim #{b.ssn_like_id()}", f"Date of service: {b.other_date()}"]
    if b.coin():
        lines.append(f"Member: {b.name(p)}, ID {b.health_ins()}")
    else:
        b.no(NAME, HINS)
        lines.append(f"Group plan {b.digits(7)} (employer-sponsored)")
    if b.coin():
        lines.append(f"Diagnosis: {b.condition()} ({b.pick('EFGIJKM')}{b.ri(10,99)}.{b.ri(0,9)})")
    else:
        b.no(COND)
        lines.append(f"Diagnosis code: pending")
    lines.append(f"Payer ID {b.digits(5)} · Provider NPI {b.digits(10)}")
    lines.append(f"Status: {b.pick(['approved', 'denied — prior auth missing', 'pending review'])}")
    return "\n".join(lines)


# ----------------------------------------------------------- logs / infra --
@fam("auth_log", "text", absent=(COND, MED, DOB, SALARY, RELIGION, ADDRESS, PASSPORT, SSN))
def _f(b: B):
    lines = []
    for _ in range(b.ri(3, 6)):
        r = b.ri(0, 4)
        t = b.ts()
        if r == 0 and b.coin():
            p = b.person()
            lines.append(f"{t} sshd[{b.ri(1000,9999)}]: Accepted publickey for {b.username(p)} from {b.ip_public()} port {b.ri(1024,65535)}")
        elif r == 1 and b.coin():
            p = b.person()
            lines.append(f"{t} auth: login ok user={b.email(p)} src={b.ip_public()} mfa=totp")
        elif r == 2:
            lines.append(f"{t} sshd[{b.ri(1000,9999)}]: Failed password for {b.system_user()} from {b.ip_nonpersonal()} port {b.ri(1024,65535)}")
        elif r == 3:
            lines.append(f"{t} healthcheck: probe from {b.ip_nonpersonal()} status=200")
        else:
            lines.append(f"{t} sudo: {b.system_user()} : TTY=pts/{b.ri(0,4)} ; PWD=/srv ; COMMAND=/usr/bin/systemctl restart app")
    b.no(NAME)
    return "\n".join(lines)


@fam("nginx_access_log", "text", absent=(COND, MED, DOB, NAME, SALARY, SSN, PHONE, ADDRESS, NATID, STUDENT))
def _f(b: B):
    lines = []
    for _ in range(b.ri(3, 6)):
        ip = b.ip_public() if b.coin(0.35) else b.ip_nonpersonal()
        path = b.pick(["/", "/api/v1/orders", "/login", "/static/app.js", "/healthz", "/account/settings"])
        q = ""
        if path == "/account/settings" and b.coin(0.5):
            q = f"?user={b.username(b.person())}"
        lines.append(f'{ip} - - [{b.ri(1,28):02d}/{b.pick(["Jan","Mar","Jul","Oct"])}/{b.ri(2021,2025)}:{b.ri(0,23):02d}:{b.ri(0,59):02d}:{b.ri(0,59):02d} +0000] '
                     f'"GET {path}{q} HTTP/1.1" {b.pick([200, 200, 304, 404, 500])} {b.ri(200, 90000)} "-" "{b.pick(["Mozilla/5.0", "curl/8.4.0", "kube-probe/1.29", "Prometheus/2.45"])}"')
    return "\n".join(lines)


@fam("dhcp_log", "text", absent=(COND, MED, DOB, SALARY, SSN, CARD, ADDRESS, EMAIL))
def _f(b: B):
    lines = []
    for _ in range(b.ri(2, 4)):
        if b.coin():
            p = b.person()
            host = b.pick([f"{b.username(p)}-{b.pick(['iphone', 'macbook', 'pixel', 'laptop'])}",
                           f"DESKTOP-{b.letters(3)}{b.digits(4)} user {b.username(p)}"])
            lines.append(f"{b.ts()} dhcpd: DHCPACK on {b.ip_nonpersonal()} to {b.mac()} ({host}) via eth0")
        else:
            lines.append(f"{b.ts()} dhcpd: DHCPACK on {b.ip_nonpersonal()} to {b.mac_nonpersonal()} ({b.pick(['core-switch-01', 'printer-3f', 'ap-lobby', 'nas01'])}) via eth0")
    return "\n".join(lines)


@fam("firewall_config", "text", absent=(NAME, EMAIL, PHONE, DOB, SSN, COND, SALARY, ADDRESS, PASSPORT))
def _f(b: B):
    rules = [f"# {b.pick(['edge firewall', 'office VPN', 'k8s egress'])} rules, updated {b.other_date(2)}"]
    for _ in range(b.ri(3, 6)):
        rules.append(f"{b.pick(['allow', 'deny', 'allow'])} {b.pick(['tcp', 'udp'])} from {b.ip_nonpersonal()}/{b.pick([32, 24, 16])} to {b.ip_nonpersonal()} port {b.pick([22, 443, 5432, 8080, 53])}")
    if b.coin(0.4):
        p = b.person()
        rules.append(f"allow tcp from {b.ip_public()}/32 to any port 22  # home IP of {b.name(p, 'full')} (on-call)")
    rules.append(f"# gateway MAC {b.mac_nonpersonal()}")
    b.no(IP)
    return "\n".join(rules)


@fam("app_error_log", "text", absent=(COND, MED, DOB, SALARY, RELIGION, PASSPORT, VIN, ORIENT))
def _f(b: B):
    c = b.company()
    lines = [f"{b.ts()} ERROR [{b.pick(['mailer', 'checkout', 'signup', 'notifier'])}] {b.pick(['SMTPRecipientsRefused', 'ValidationError', 'TimeoutError', 'KeyError'])}"]
    if b.coin():
        p = b.person()
        lines.append(f"  while sending receipt to {b.email(p)}")
    else:
        lines.append(f"  while sending from {b.role_email(c)} (bounce to {b.role_email(c)})")
    lines.append(f'  File "/srv/app/{b.pick(["mail", "orders", "users"])}.py", line {b.ri(10, 900)}, in send')
    if b.coin(0.4):
        lines.append(f"  request_ip={b.ip_public()} session={b.hexs(16)}")
    else:
        lines.append(f"  upstream={b.ip_nonpersonal()}:{b.pick([25, 587, 5432])} retry={b.ri(1,5)}")
    if b.coin(0.3):
        lines.append(f"  payload.phone={b.phone()}")
    lines.append(f"{b.ts()} INFO retry scheduled")
    return "\n".join(lines)


@fam("deploy_log", "text", absent=(NAME, EMAIL, PHONE, SSN, CARD, COND, MED, ADDRESS, AGE, PASSPORT, GENDER))
def _f(b: B):
    b.no(DOB, IP)
    v = f"{b.ri(1,9)}.{b.ri(0,30)}.{b.ri(0,20)}"
    return b.pick([
        f"Deploy {v} to production started {b.other_date()} 14:02 UTC by pipeline #{b.ri(1000,99999)}\n"
        f"  build id {b.ssn_like_id()} | image sha256:{b.hexs(24)}\n  canary {b.ip_nonpersonal()} healthy\n  rollout complete",
        f"Release notes {v} ({b.other_date(3)}):\n- fix: timezone bug in scheduler\n- chore: bump deps\n"
        f"Rolled back on {b.other_date()} due to error rate > 2% on node {b.ip_nonpersonal()}",
        f"[{b.other_date(2)}] migration 00{b.ri(10,99)}_add_birthdate_column applied to {b.ip_nonpersonal()}:5432 in {b.ri(1,90)}s",
    ])


@fam("mobile_analytics_log", "text", absent=(SSN, CARD, COND, SALARY, DOB, ADDRESS, PASSPORT, MRN))
def _f(b: B):
    lines = []
    for _ in range(b.ri(2, 4)):
        ev = b.pick(["app_open", "screen_view", "purchase", "location_update", "push_received"])
        dev = b.device_id() if b.coin(0.5) else b.device_nonpersonal()
        loc = ""
        if ev == "location_update":
            loc = f" loc={b.geo()}" if b.coin(0.6) else f" loc=null"
        lines.append(f"{b.ts()} event={ev} device={dev}{loc} os={b.pick(['iOS 17.4', 'Android 14', 'iOS 16.7'])} app={b.ri(3,7)}.{b.ri(0,9)}")
    if not b.labels.get(GEO):
        g, where = b.geo_nonpersonal()
        lines.append(f"# geofence configured around {where} ({g})")
    return "\n".join(lines)


@fam("security_incident_report", "text", absent=(COND, MED, SALARY, RELIGION, ORIENT, PASSPORT, VIN, DOB))
def _f(b: B):
    p = b.person()
    lines = [f"Incident INC{b.digits(7)} — {b.pick(['suspicious login', 'phishing click', 'lost laptop', 'credential stuffing'])}"]
    if b.coin():
        lines.append(f"Affected user: {b.name(p)} ({b.username(p)})")
    else:
        b.no(NAME)
        lines.append(f"Affected account: {b.system_user()} (service account)")
    if b.coin():
        lines.append(f"Source IP {b.ip_public()} ({b.pick(['residential ISP', 'mobile carrier', 'VPN exit'])})")
    else:
        lines.append(f"Source IP {b.ip_nonpersonal()} (internal scanner)")
    if b.coin(0.5):
        lines.append(f"Device: {b.device_id()} / MAC {b.mac()}")
    else:
        lines.append(f"Device: {b.device_nonpersonal()}")
    lines.append(f"Reported to {b.role_email()} on {b.other_date()}.")
    return "\n".join(lines)


@fam("kubernetes_events", "text", absent=(NAME, EMAIL, PHONE, DOB, SSN, COND, SALARY, CARD, AGE, GENDER))
def _f(b: B):
    b.no(IP, DEVICE)
    out = []
    for _ in range(b.ri(3, 5)):
        out.append(f"{b.ri(1,59)}m  {b.pick(['Normal', 'Warning'])}  {b.pick(['Scheduled', 'Pulled', 'BackOff', 'Killing', 'Unhealthy'])}  "
                   f"pod/{b.pick(['api', 'worker', 'web', 'etl'])}-{b.hexs(5)}  node {b.device_nonpersonal()} ip {b.ip_nonpersonal()}")
    if b.coin(0.3):
        out.append(f"annotation owner={b.role_email()}")
    return "\n".join(out)


# -------------------------------------------------------------- HR / CVs --
@fam("resume_header", "text", absent=(SSN, CARD, MRN, COND, MED, IP, MAC, VIN, PASSWORD))
def _f(b: B):
    p = b.person()
    lines = [b.val(NAME, p.full.upper()) if b.coin(0.3) else b.name(p, b.pick(['full', 'middle']))]
    contact = []
    if b.coin():
        contact.append(b.email(p))
    if b.coin():
        contact.append(b.phone(p.country))
    if b.coin(0.5):
        contact.append(b.home_address(p))
    if b.coin(0.4):
        contact.append(b.personal_url(p))
    if contact:
        lines.append(" | ".join(contact))
    if b.coin(0.35):
        lines.append(f"Born {b.dob(p)} · {b.val(NATION, b.pick(NATIONALITIES))}" if b.coin() else f"Date of birth: {b.dob(p)}")
    if b.coin(0.25):
        lines.append(f"Marital status: {b.val(MARITAL, b.pick(MARITAL_STATUSES))}")
    lines.append("")
    lines.append(b.pick(["PROFILE", "Summary", "About me"]))
    lines.append(b.pick(["Detail-oriented professional with 8 years of experience.", "Engineer who enjoys messy data.",
                         "Bilingual customer service lead."]))
    if not contact:
        lines.append(f"References available via {b.role_email()}")
    return "\n".join(lines)


@fam("resume_experience", "text", absent=(SSN, CARD, MRN, COND, MED, IP, MAC, VIN, PASSWORD, DOB))
def _f(b: B):
    p = b.person()
    named = b.coin(0.7)
    lines = [f"{b.name(p)} — Experience" if named else "EXPERIENCE"]
    if not named:
        b.no(NAME)
    bullets = b.sample([f"Led a team of {b.ri(3, 14)}", f"Cut costs by {b.ri(5, 30)}%", f"Migrated {b.ri(10, 80)} services to k8s",
                        "Managed vendor contracts", f"Handled {b.ri(20, 90)} client accounts", "Introduced weekly reporting",
                        f"Grew revenue {b.ri(5, 40)}% year on year", "Trained new starters", "Ran the audit remediation project",
                        f"Reduced ticket backlog by {b.ri(20, 70)}%", "Owned the budget for the regional office",
                        "Rolled out the new ERP system"], 3)
    for _ in range(b.ri(2, 3)):
        c = b.company()
        title = b.pick(JOB_TITLES)
        y0 = b.ri(2008, 2020)
        lines.append(f"{title}, {c.name} ({y0}–{b.pick([str(y0 + b.ri(1,4)), 'present'])})")
        lines.append(f"  • {bullets.pop()}")
        if named:
            b.val(JOB, title)
            b.val(EMPLOYER, c.name)
    if not named:
        b.no(JOB, EMPLOYER)
    if named and b.coin(0.3):
        lines.append(f"Current salary: {b.salary()}")
    return "\n".join(lines)


@fam("job_posting", "text", absent=(NAME, SSN, CARD, DOB, MRN, COND, IP, MAC, PASSPORT, ADDRESS))
def _f(b: B):
    c = b.company()
    b.no(JOB, SALARY, EMPLOYER, EMAIL, AGE, GENDER)
    title = b.pick(JOB_TITLES)
    lo = b.ri(35, 90)
    return (f"We're hiring: {title} ({b.pick(['hybrid', 'remote', 'on-site'])})\n{c.name} is growing! "
            f"Salary range {b.pick(['$', '€', '£'])}{lo},000–{lo + b.ri(10, 40)},000 plus bonus. "
            f"{b.pick(['Applicants must be 18 or older.', 'We welcome applicants of any gender, religion or background.', 'Visa sponsorship available.'])} "
            f"Send your CV to {b.role_email(c, b.pick(['careers', 'jobs', 'recruiting', 'talent']))} by {b.other_date(3)}. Office: {b.business_address()}")


@fam("performance_review", "text", absent=(CARD, IBAN, IP, MAC, VIN, COND, PASSPORT, GEO))
def _f(b: B):
    p, c = b.person(), b.company()
    named = b.coin(0.7)
    lines = [f"Annual review {b.ri(2020, 2024)}"]
    if named:
        lines.append(f"Employee: {b.name(p)} ({b.employee_id() if b.coin() else 'ID on file'})")
        lines.append(f"Role: {b.val(JOB, b.pick(JOB_TITLES))}")
    else:
        b.no(NAME, JOB, EMPID)
        lines.append("Employee: [anonymised for calibration]")
    lines.append(f"Rating: {b.pick(['Exceeds', 'Meets', 'Partially meets'])} expectations")
    if named and b.coin(0.6):
        lines.append(f"Salary adjustment: {b.salary()} effective {b.other_date(3)}")
    else:
        b.no(SALARY)
        lines.append(f"Merit budget for the team: {b.ri(2,6)}% of payroll")
    return "\n".join(lines)


@fam("meeting_notes", "text", absent=(SSN, CARD, IBAN, MRN, MAC, VIN, PASSPORT, DOB))
def _f(b: B):
    c = b.company()
    att = []
    named = b.coin(0.65)
    if named:
        for _ in range(b.ri(2, 4)):
            q = b.person()
            att.append(f"{b.name(q, 'full')} ({b.val(JOB, b.pick(JOB_TITLES))})" if b.coin(0.5) else b.name(q, 'full'))
    else:
        b.no(NAME, JOB)
        att = [b.pick(["Finance", "Ops", "Legal", "Sales"]) + " team", "vendor rep"]
    notes = [f"Meeting notes — {b.other_date(3)}", "Attendees: " + ", ".join(att), "",
             f"1. Q{b.ri(1,4)} targets: {b.ri(80, 140)}% of plan.",
             f"2. Move the offsite to {b.lookalike('place')}.",
             f"3. Vendor {b.company().name} contract renewal; contact {b.role_email()}"]
    if named and b.coin(0.3):
        q = b.person()
        notes.append(f"4. {b.name(q, 'first')} is on leave until {b.other_date(3)} ({b.pick(['medical', 'parental', 'personal'])}).")
    b.no(EMPLOYER)
    return "\n".join(notes)


@fam("payroll_note", "text", absent=(COND, MED, IP, MAC, VIN, ORIENT, RELIGION, GEO))
def _f(b: B):
    p = b.person()
    if b.coin(0.6):
        lines = [f"Payroll change request", f"Employee: {b.name(p)} / {b.employee_id()}"]
        if b.coin():
            lines.append(f"New salary: {b.salary()}")
        else:
            lines.append("Change: cost centre only")
            b.no(SALARY)
        if b.coin(0.5):
            lines.append(f"Pay into: {b.iban()}" if b.coin() else f"Pay into: {b.bank_account()}")
        if b.coin(0.3):
            tid, kind = b.tax_id()
            lines.append(f"{kind}: {tid}")
        return "\n".join(lines)
    b.no(NAME, SALARY, EMPID)
    return (f"Payroll summary {b.other_date(3)}: {b.ri(40, 900)} employees, gross {b.money(100000, 9000000, '$')}, "
            f"average salary {b.money(38000, 90000, '$')}. Employer account {b.company_iban()}; {b.company_tax_id()}.")


# ------------------------------------------------------------ forms / gov --
@fam("filled_form_kv", "text", absent=(CARD, IP, MAC, VIN, MRN, PASSWORD, ORIENT, POLIT))
def _f(b: B):
    p = b.person()
    sep = b.pick([": ", " = ", ":\t", " - "])
    rows = [b.pick(["APPLICATION FORM", "New customer form", "Registration", "Enrolment form (completed)"])]
    rows.append(f"Full name{sep}{b.name(p, b.pick(['full', 'middle', 'upper']))}")
    order = b.sample(["dob", "phone", "email", "addr", "gender", "nat", "marital"], b.ri(2, 5))
    for f in order:
        if f == "dob":
            rows.append(f"Date of birth{sep}{b.dob(p)}")
        elif f == "phone":
            rows.append(f"{b.pick(['Phone', 'Mobile', 'Tel.'])}{sep}{b.phone(p.country)}")
        elif f == "email":
            rows.append(f"E-mail{sep}{b.email(p)}")
        elif f == "addr":
            rows.append(f"Address{sep}{b.home_address(p)}")
        elif f == "gender":
            rows.append(f"{b.pick(['Gender', 'Sex'])}{sep}{b.val(GENDER, b.pick(GENDERS))}")
        elif f == "nat":
            rows.append(f"Nationality{sep}{b.val(NATION, b.pick(NATIONALITIES))}")
        else:
            rows.append(f"Marital status{sep}{b.val(MARITAL, b.pick(MARITAL_STATUSES))}")
    rows.append(f"Signed{sep}{b.other_date()}")
    return "\n".join(rows)


@fam("blank_form_template", "text", absent=(CARD, IP, MAC, VIN, MRN, COND, SALARY))
def _f(b: B):
    b.no(NAME, DOB, PHONE, EMAIL, ADDRESS, GENDER, NATION, MARITAL, SSN, POSTAL)
    blank = b.pick(["________________", "[            ]", "<enter value>", "...............", "{{value}}"])
    rows = [b.pick(["APPLICATION FORM (blank)", "Form W-9 style intake — template", "Patient intake form v3", "TEMPLATE — do not fill"])]
    for f in b.sample(["Full name", "Date of birth (DD/MM/YYYY)", "Phone", "E-mail", "Home address", "Gender (optional)",
                       "Nationality", "Marital status", "SSN (XXX-XX-XXXX)", "Postcode"], b.ri(4, 7)):
        rows.append(f"{f}: {blank}")
    if b.coin(0.5):
        rows.append(f"Example: {b.placeholder_name()}, {b.placeholder_email()}, {b.phone_fictional()}")
    if b.coin(0.35):
        p = b.person()
        rows.append(f"\nForm prepared by {b.name(p, 'full')}, {b.val(JOB, b.pick(JOB_TITLES))}, {b.other_date(3)}")
    return "\n".join(rows)


@fam("visa_application", "text", absent=(CARD, IP, MAC, VIN, USER, PASSWORD, SALARY, ORIENT))
def _f(b: B):
    p = b.person()
    lines = [f"Visa application ref {b.letters(3)}{b.digits(8)}"]
    named = b.coin(0.75)
    if named:
        lines.append(f"Surname: {b.val(NAME, p.last.upper())}   Given names: {b.val(NAME, p.first)}")
        if b.coin():
            lines.append(f"Date of birth: {b.dob(p)}   Place of birth: {b.val(POB, b.pick(BIRTH_PLACES))}")
        if b.coin():
            lines.append(f"Nationality: {b.val(NATION, b.pick(NATIONALITIES))}")
        if b.coin():
            lines.append(f"Passport no.: {b.passport()}  expires {b.other_date()}")
        else:
            lines.append(f"Passport no.: to be provided")
    else:
        b.no(NAME, PASSPORT, POB, NATION)
        lines.append(f"Guidance: the passport number must match the MRZ; see specimen {b.passport_specimen()}. "
                     f"Place of birth should be written as on the passport. Nationality as shown.")
    lines.append(f"Submitted {b.other_date()} at {b.lookalike('place')} visa centre")
    return "\n".join(lines)


@fam("car_rental_agreement", "text", absent=(SSN, MRN, COND, MED, IP, MAC, SALARY, RELIGION))
def _f(b: B):
    p, c = b.person(), b.company("travel")
    lines = [f"{c.short} Car Rental — Agreement {b.digits(9)}"]
    if b.coin(0.7):
        lines.append(f"Renter: {b.name(p)}")
        lines.append(f"Driver's licence: {b.drivers_license()}" if b.coin() else "Driver's licence: seen at counter")
        if b.coin(0.4):
            lines.append(f"DOB: {b.dob(p)}")
    else:
        b.no(NAME, DL)
        lines.append(f"Renter: corporate account {b.company().name}")
    # a rental car's plate and VIN are ambiguous (fleet asset driven by the renter): never labelled
    lines.append(f"Vehicle: {b.pick(['VW Golf', 'Toyota Corolla', 'Tesla Model 3', 'Ford Focus'])}, fleet no. {b.ri(100, 9999)}")
    d0, d1 = b.date_pair(21)
    lines.append(f"Pick-up {d0} · Return {d1}")
    return "\n".join(lines)


@fam("parking_fine", "text", absent=(SSN, MRN, COND, MED, IP, MAC, SALARY, EMAIL))
def _f(b: B):
    p = b.person("UK" if b.coin() else None)
    lines = [f"PENALTY CHARGE NOTICE {b.letters(2)}{b.digits(8)}", f"Date of contravention: {b.other_date()}"]
    if b.coin():
        lines.append(f"Vehicle registration: {b.plate()}")
        if b.coin(0.6):
            lines.append(f"Registered keeper: {b.name(p)}, {b.home_address(p)}")
    else:
        lines.append(f"Vehicle registration: {b.plate_nonpersonal()} (sample notice)")
    lines.append(f"Location: {b.lookalike('place')} car park")
    lines.append(f"Pay online or call {b.phone_tollfree()}.")
    return "\n".join(lines)


@fam("tax_return_note", "text", absent=(MAC, IP, VIN, PLATE, COND, MED, ORIENT, GEO))
def _f(b: B):
    p = b.person()
    lines = [f"Tax year {b.ri(2019, 2024)} — preparer notes"]
    if b.coin(0.65):
        lines.append(f"Client: {b.name(p)}")
        if b.coin():
            tid, kind = b.tax_id()
            lines.append(f"{kind}: {tid}")
        if b.coin():
            lines.append(f"SSN: {b.ssn()}")
        else:
            lines.append(f"SSN on file: {b.ssn_shaped()}")
        if b.coin(0.5):
            lines.append(f"W-2 wages from {b.employer()}: {b.salary()}")
        if b.coin(0.3):
            lines.append(f"Filing status: {b.val(MARITAL, b.pick(['married filing jointly', 'single', 'head of household']))}")
    else:
        b.no(NAME, TAXID, SSN, MARITAL)
        lines.append(f"Employer client {b.company().name}, {b.company_tax_id()}; reference {b.ssn_like_id()}.")
        lines.append("Filing status options: single / married filing jointly / head of household.")
    return "\n".join(lines)


@fam("bank_transfer_note", "text", absent=(COND, MED, MAC, IP, VIN, ORIENT, RELIGION, DOB))
def _f(b: B):
    p = b.person()
    if b.coin(0.6):
        lines = [b.pick(["Hi, here are my bank details for the deposit refund:", "Please send the money to:",
                         "My new account for salary payments:"])]
        lines.append(f"Account holder: {b.name(p)}")
        lines.append(f"IBAN: {b.iban()}" if b.coin() else f"Bank: {b.bank_account()}")
        if b.coin(0.4):
            lines.append(f"Reference: {b.account_number()}")
        return "\n".join(lines)
    b.no(NAME, IBAN, BANK, ACCT)
    c = b.company()
    return (f"Payment instructions for {c.name}:\nIBAN {b.company_iban()}\nBIC {b.letters(4)}DE{b.letters(2)}XXX\n"
            f"Please quote invoice number {b.card_luhn_fail('')} as reference. Example format: {b.iban_invalid()}")


@fam("student_enrollment", "text", absent=(CARD, IBAN, IP, MAC, VIN, SALARY, PASSWORD, POLIT))
def _f(b: B):
    p = b.person()
    uni = b.company("edu")
    lines = [f"{uni.short} — Enrolment confirmation"]
    if b.coin(0.7):
        lines.append(f"Student: {b.name(p)}")
        lines.append(f"Student ID: {b.student_id()}" if b.coin() else "Student ID: issued at orientation")
        if b.coin(0.5):
            lines.append(f"Date of birth: {b.dob(p)}")
        if b.coin(0.4):
            lines.append(f"Term address: {b.home_address(p)}")
    else:
        b.no(NAME, STUDENT)
        lines.append(f"Course codes: {b.letters(2)}-{b.ri(100, 499)}, {b.letters(3)}{b.ri(100, 499)}; Room {b.letters(1)}{b.ri(100, 399)}")
        lines.append("Student IDs are 8 digits and printed on your campus card.")
    lines.append(f"Term starts {b.other_date(3)}. Registry: {b.role_email(uni)}")
    return "\n".join(lines)


@fam("kyc_review_note", "text", absent=(MAC, IP, VIN, COND, MED, SALARY, ORIENT, PASSWORD))
def _f(b: B):
    p = b.person()
    lines = [f"KYC check {b.hexs(8)}"]
    if b.coin(0.7):
        lines.append(f"Applicant: {b.name(p)}, DOB {b.dob(p)}")
        r = b.ri(0, 2)
        if r == 0:
            nid, kind = b.national_id()
            lines.append(f"{kind}: {nid} — verified against registry")
        elif r == 1:
            lines.append(f"Passport: {b.passport()} — MRZ ok")
        else:
            lines.append(f"Driver's license: {b.drivers_license()} — expired, rejected")
        if b.coin(0.4):
            lines.append(f"Nationality: {b.val(NATION, b.pick(NATIONALITIES))}")
    else:
        b.no(NAME, NATID, PASSPORT, DL)
        lines.append(f"Test run with specimen documents: passport {b.passport_specimen()}, ID {b.natid_specimen()}, DL {b.dl_specimen()}.")
    lines.append(f"Reviewed {b.other_date()} by compliance ({b.role_email()})")
    return "\n".join(lines)


@fam("auto_insurance_quote", "text", absent=(SSN, MRN, COND, MED, IP, MAC, RELIGION, ORIENT))
def _f(b: B):
    p = b.person("US" if b.coin() else "UK")
    lines = ["Car insurance quote"]
    named = b.coin(0.7)
    if named:
        lines.append(f"Policyholder: {b.name(p)}, age {b.age(p)}" if b.coin() else f"Policyholder: {b.name(p)}")
        if b.coin():
            lines.append(f"Vehicle: {b.ri(2008, 2024)} {b.pick(['Honda Civic', 'Skoda Octavia', 'Kia Niro'])}, VIN {b.vin()}, reg {b.plate(p.country)}")
        else:
            lines.append(f"Vehicle: {b.ri(2008, 2024)} {b.pick(['Honda Civic', 'Skoda Octavia', 'Kia Niro'])} (details to follow)")
        if b.coin(0.5):
            lines.append(f"Licence no. {b.drivers_license(None if p.country == 'US' else 'UK')}")
        if b.coin(0.4):
            lines.append(f"Garaging address: {b.home_address(p)}")
    else:
        b.no(NAME, VIN, PLATE, DL, AGE)
        lines.append(f"Illustration for a driver aged 30, vehicle {b.vin_nonpersonal()} (sample VIN), plate {b.plate_nonpersonal()}")
    lines.append(f"Premium: {b.money(300, 2400)} / year. Call {b.phone_tollfree()}")
    return "\n".join(lines)


@fam("fleet_maintenance_log", "text", absent=(NAME, EMAIL, SSN, DOB, COND, MED, SALARY, AGE))
def _f(b: B):
    c = b.company()
    b.no(VIN, PLATE)
    out = [f"{c.short} fleet maintenance — week {b.ri(1, 52)}"]
    for _ in range(b.ri(2, 4)):
        out.append(f"Van #{b.ri(1, 80)} plate {b.pick(['KX19 ', 'B-FL ', 'FLT-'])}{b.digits(3)} VIN {b._vin_value()} — "
                   f"{b.pick(['brake pads', 'oil change', 'tyres', 'MOT passed'])} — {b.money(80, 900)}")
    if b.coin(0.35):
        p = b.person()
        out.append(f"Pool car booked for personal use by {b.name(p)}; own vehicle {b.plate()} left in bay {b.ri(1, 40)}.")
    return "\n".join(out)


@fam("gps_tracking_note", "text", absent=(SSN, CARD, IBAN, MRN, SALARY, PASSPORT, DOB, RELIGION))
def _f(b: B):
    p = b.person()
    if b.coin(0.6):
        named = b.coin()
        who = b.name(p) if named else f"user {b.username(p)}"
        return b.pick([
            "Find-my-phone ping for {w}: {g} at {t} (accuracy {a} m).",
            "Check-in: {w} shared live location {g} ({t}).",
            "Delivery driver app: customer {w} dropped pin {g} at {t}.",
        ]).format(w=who, g=b.geo(), t=b.ts(), a=b.ri(3, 60))
    g, where = b.geo_nonpersonal()
    b.no(NAME)
    return b.pick([f"Meet-up point: {where} ({g}). Bring ID.", f"Default map centre set to {g} ({where}).",
                   f"Tour starts at {where}, coordinates {g}, {b.other_date(3)}."])


@fam("iot_device_registration", "text", absent=(SSN, CARD, MRN, COND, SALARY, PASSPORT, DOB, RELIGION))
def _f(b: B):
    p = b.person()
    if b.coin(0.6):
        lines = [f"New device registered to account {b.email(p) if b.coin() else b.customer_id()}"]
        lines.append(f"Device ID: {b.device_id()}")
        if b.coin(0.5):
            lines.append(f"MAC: {b.mac()}")
        if b.coin(0.35):
            lines.append(f"Installed at: {b.home_address(p)}")
        lines.append(f"Firmware {b.ri(1,5)}.{b.ri(0,30)} (build {b.hexs(8)})")
        return "\n".join(lines)
    b.no(DEVICE, MAC)
    return (f"Firmware {b.ri(1,5)}.{b.ri(0,30)} release notes: devices report the placeholder ID {b.device_nonpersonal()} until paired. "
            f"Factory MAC {b.mac_nonpersonal()} indicates an unprovisioned unit. Support: {b.role_email()}")


# ------------------------------------------------ docs / schema / fixtures --
_FIELD_DOCS = {
    EMAIL: ["the `email` field holds the customer's contact address", "email: string, RFC 5322, lowercase"],
    PHONE: ["`phone` stores the number in E.164 format", "phone_number: optional, digits only"],
    DOB: ["`birth_date` is the customer's date of birth (ISO 8601)", "dob: date, required for age checks"],
    SSN: ["`ssn` is encrypted at rest and masked as ***-**-1234 in the UI", "tax_ssn: 9 digits, no dashes"],
    ADDRESS: ["`street_address` holds the mailing address line 1", "address.line1 / address.line2 / address.city"],
    NAME: ["`full_name` is the legal name as printed on the ID", "first_name, last_name: strings, max 80 chars"],
    CARD: ["`pan` is never stored; only `card_last4` and a token", "card_number: PCI scope, tokenised by the PSP"],
    IP: ["`client_ip` is truncated to /24 before storage", "ip_address: the last hop, IPv4 or IPv6"],
    PASSPORT: ["`passport_no` is required for international bookings", "passport_number: 6-9 alphanumerics"],
    SALARY: ["`base_salary` is the annual gross in the local currency", "salary_band: A-F"],
    GENDER: ["`gender` is optional and self-described", "sex: enum(M, F, X, U)"],
    DEVICE: ["`device_id` is the IDFA/GAID when consent is given", "device_id: UUID v4"],
    MRN: ["`mrn` is the hospital medical record number", "mrn: 8 digits, zero-padded"],
    USER: ["`username` must be unique and 3-30 characters", "login: case-insensitive"],
    EMPID: ["`employee_id` format is E + 6 digits", "emp_no: integer"],
    IBAN: ["`iban` is validated with the mod-97 check", "payout_iban: optional"],
    POSTAL: ["`postal_code` is validated per country", "zip: 5 or 9 digits"],
    GEO: ["`lat`/`lon` are rounded to 2 decimals before export", "location: GeoJSON point"],
    NATID: ["`national_id` is the country-specific identity number", "nid: string"],
    CUSTID: ["`customer_id` is the primary key of the customers table", "cust_id: bigint"],
}


@fam("schema_doc", "text", absent=(COND, MED, RELIGION, ORIENT, VIN, PLATE))
def _f(b: B):
    keys = b.sample(list(_FIELD_DOCS), b.ri(3, 6))
    for t in keys:
        b.no(t)
    hdr = b.pick(["## customers table", "Data dictionary — CRM v2", "Field reference (internal wiki)", "/* users schema notes */"])
    return hdr + "\n" + "\n".join(f"- {b.pick(_FIELD_DOCS[t])}" for t in keys) + \
        f"\nOwner: {b.role_email()} · last reviewed {b.other_date(2)}"


@fam("migration_note", "text", absent=(COND, MED, RELIGION, ORIENT, PASSPORT, VIN))
def _f(b: B):
    keys = b.sample([EMAIL, PHONE, DOB, NAME, CUSTID], 3)
    for t in keys:
        b.no(t)
    lines = [f"Migration {b.ri(100, 999)}: copy {', '.join(k.lower() for k in keys)} columns to the new store."]
    if b.coin(0.6):
        p = b.person()
        bad = b.pick(keys)
        if bad == EMAIL:
            v = b.email(p)
        elif bad == PHONE:
            v = b.phone(p.country)
        elif bad == DOB:
            v = b.dob(p)
        elif bad == POSTAL:
            v = b.home_postcode(p)
        elif bad == NAME:
            v = b.name(p)
        else:
            v = b.customer_id()
        lines.append(f"Row {b.ri(2, 90000)} rejected: value '{v}' failed validation for {bad.lower()}.")
    else:
        lines.append(f"{b.ri(0, 40)} rows rejected; see the dead-letter table. No values are logged.")
    lines.append(f"Ran on {b.other_date()} against {b.ip_nonpersonal()}.")
    return "\n".join(lines)


@fam("api_docs_example", "text", absent=(COND, MED, MRN, RELIGION, VIN, SALARY))
def _f(b: B):
    b.no(NAME, EMAIL, PHONE)
    ex = {"name": b.placeholder_name(), "email": b.placeholder_email(), "phone": b.phone_fictional()}
    extra = ""
    if b.coin(0.4):
        extra = f', "card": "{b.test_card()}"'
    if b.coin(0.3):
        extra += f', "ssn": "{b.ssn_shaped()}"'
    if b.coin(0.3):
        extra += f', "address": "{b.placeholder_address()}"'
    body = f'{{"name": "{ex["name"]}", "email": "{ex["email"]}", "phone": "{ex["phone"]}"{extra}}}'
    return (f"### POST /v1/customers\nCreates a customer. Example request:\n\n    curl -X POST https://api.{b.company().domain}/v1/customers -d '{body}'\n\n"
            f"All example values are fictitious. Rate limit: {b.ri(10, 100)} requests per second.")


@fam("test_fixture_readme", "text", absent=(NAME, EMAIL, COND, MED, DOB, ADDRESS, RELIGION))
def _f(b: B):
    b.no(CARD, SSN, IBAN, PHONE)
    return b.pick([
        f"Testing payments\n\nUse these cards in the sandbox:\n- {b.test_card()} (Visa, succeeds)\n- {b.test_card()} (declined)\n"
        f"- {b.card_luhn_fail()} (fails Luhn, for validation tests)\nAny future expiry and any CVC work.",
        f"QA data\n- SSN: {b.ssn_shaped()} (invalid on purpose)\n- IBAN: {b.iban_invalid()}\n- phone: {b.phone_fictional()}\n"
        f"Never use real customer data in fixtures.",
        f"Validator unit tests cover: {b.ssn_shaped()}, {b.ssn_shaped()}, card {b.card_luhn_fail('-')}, IBAN {b.iban_invalid()}.",
    ])


@fam("privacy_policy", "text", absent=(CARD, SSN, MRN, VIN, PASSWORD, SALARY))
def _f(b: B):
    c = b.company()
    b.no(NAME, EMAIL, IP, GEO, DEVICE, DOB, PHONE, ADDRESS)
    return (f"{c.name} Privacy Notice (updated {b.other_date(3)})\n\nWe collect your name, email address, phone number, "
            f"IP address, device identifiers and approximate location when you use the app. "
            f"{b.pick(['We keep it for 24 months.', 'We never sell personal data.', 'You can request deletion at any time.'])} "
            f"Contact our DPO at {b.role_email(c)} or write to {b.business_address()}.")


@fam("data_retention_policy", "text", absent=(NAME, EMAIL, CARD, SSN, MRN, VIN, PASSWORD))
def _f(b: B):
    b.no(DOB, IP, SALARY, COND, ACCT, DEVICE)
    return (f"Retention schedule v{b.ri(1, 9)}\n- Access logs incl. IP addresses: {b.ri(30, 400)} days\n"
            f"- HR files (salary history, date of birth): {b.ri(5, 10)} years after leaving\n"
            f"- Medical condition records: {b.ri(8, 25)} years\n- Closed account numbers: {b.ri(5, 10)} years\n"
            f"- Device IDs: until consent is withdrawn\nApproved {b.other_date(3)} by the records committee.")


@fam("sql_query", "text", absent=(COND, MED, RELIGION, VIN, PASSPORT, SALARY))
def _f(b: B):
    cols = b.sample(["email", "phone", "date_of_birth", "ssn", "postal_code", "customer_id"], 3)
    tmap = {"email": EMAIL, "phone": PHONE, "date_of_birth": DOB, "ssn": SSN, "postal_code": POSTAL, "customer_id": CUSTID}
    for c in cols:
        b.no(tmap[c])
    q = f"SELECT {', '.join(cols)} FROM customers"
    if b.coin(0.55):
        p = b.person()
        col = b.pick([c for c in cols if c != "postal_code"])  # a lone postcode is not clearly personal
        v = {"email": lambda: b.email(p), "phone": lambda: b.phone(p.country), "date_of_birth": lambda: b.dob(p, 2),
             "ssn": lambda: b.ssn(), "postal_code": lambda: b.home_postcode(p), "customer_id": lambda: b.customer_id()}[col]()
        q += f"\nWHERE {col} = '{v}';"
    else:
        q += f"\nWHERE created_at > '{b.other_date(2)}' AND {b.pick(cols)} IS NOT NULL;"
    return b.pick([f"-- ad-hoc query from the support runbook\n{q}", f"Slow query log ({b.ri(2, 40)}.{b.ri(0,9)}s):\n{q}",
                   f"```sql\n{q}\n```"])


@fam("code_snippet", "text", absent=(COND, MED, RELIGION, SALARY, DOB, ADDRESS))
def _f(b: B):
    b.no(PASSWORD, SSN, EMAIL)
    lines = [b.pick(["import re", "const config = {", "# settings.py"])]
    lines.append(f"SSN_RE = re.compile(r'^\\d{{3}}-\\d{{2}}-\\d{{4}}$')  # e.g. {b.ssn_shaped()}")
    lines.append(f"DB_PASSWORD = {b.password_placeholder()!r}")
    lines.append(f"ADMIN_EMAIL = {b.role_email()!r}")
    if b.coin(0.4):
        p = b.person()
        lines.append(f"# TODO remove: reproduces bug for customer {b.email(p)}, phone {b.phone(p.country)}")
    return "\n".join(lines)


@fam("csv_dump_text", "text", absent=(COND, MED, RELIGION, ORIENT, PASSPORT, VIN))
def _f(b: B):
    cols = ["name", "email", "phone", "postcode"]
    hdr = ",".join(cols)
    rows = []
    if b.coin(0.6):
        for _ in range(b.ri(1, 3)):
            p = b.person()
            rows.append(f"{b.name(p, 'full')},{b.email(p)},{b.phone(p.country)},{b.home_postcode(p)}")
    else:
        b.no(NAME, EMAIL, PHONE, POSTAL)
        rows.append(f"{b.placeholder_name()},{b.placeholder_email()},{b.phone_fictional()},00000")
    return b.pick(["export.csv:\n", "Attached sample (first rows):\n", ""]) + hdr + "\n" + "\n".join(rows)


@fam("message_template", "text", absent=(CARD, SSN, MRN, COND, IP, VIN, SALARY))
def _f(b: B):
    b.no(NAME, EMAIL, PHONE, DOB, ADDRESS, CUSTID)
    c = b.company()
    return b.pick([
        f"Hello {{first_name}}, your order {{order_id}} ships to {{shipping_address}}. Questions? {b.role_email(c)}",
        f"Dear %NAME%,\nWe could not verify your date of birth (%DOB%). Please call {b.phone_tollfree()}.",
        f"Hi <<customer.name>>, your customer number is <<customer.id>> and your {b.pick(['order', 'parcel', 'refund'])} "
        f"<<order.ref>> is {b.pick(['on its way', 'ready', 'approved'])}. Reply STOP to {b.phone_fictional()} to opt out.",
        f"i18n key greeting.birthday.v{b.ri(1, 40)} = \"Happy birthday, {{0}}! Here's {b.pick(['a gift', 'a voucher', str(b.ri(5, 30)) + '% off'])} for {{1}}.\" (de: \"Alles Gute, {{0}}!\")",
    ])


@fam("redacted_log", "text", absent=(COND, MED, RELIGION, VIN, PASSPORT, SALARY))
def _f(b: B):
    b.no(EMAIL, PHONE, CARD, NAME)
    lines = [f"{b.ts()} INFO user=<redacted> email=[EMAIL] phone=[PHONE] card={b.masked_card()}",
             f"{b.ts()} INFO name=*** action=checkout amount={b.money(5, 400)}"]
    if b.coin(0.4):
        p = b.person()
        lines.append(f"{b.ts()} WARN redaction skipped for field 'contact': {b.email(p)}")
    return "\n".join(lines)


# ------------------------------------------------- sensitive attributes --
@fam("dating_profile_text", "text", absent=(SSN, CARD, IBAN, MRN, VIN, SALARY, PASSPORT, IP))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        bits = [f"{b.first(p) if b.coin() else b.username(p)}, {b.age(p)}"]
        if b.coin():
            bits.append(f"{b.val(GENDER, b.pick(['woman', 'man', 'non-binary']))}")
        if b.coin():
            bits.append(f"{b.val(ORIENT, b.pick(ORIENTATIONS))}")
        if b.coin(0.5):
            bits.append(f"{b.val(RELIGION, b.pick(RELIGIONS))}")
        if b.coin(0.3):
            bits.append(f"{b.val(POLIT, b.pick(['lefty', 'conservative', 'Green voter']))}")
        if b.coin(0.4):
            bits.append(f"lives near {b.home_postcode(p)}")
        return " · ".join(bits) + "\n" + b.pick(["Looking for something real.", "Dog person. Coffee snob.", "Ask me about hiking."])
    b.no(AGE, GENDER, ORIENT, RELIGION, NAME)
    return b.pick([
        f"Join the fastest-growing dating app for gay, lesbian, bi and straight singles aged {b.ri(18, 30)}–{b.ri(40, 60)}. "
        f"{b.pick(['Filters for religion and politics included.', 'Now in ' + str(b.ri(20, 90)) + ' cities.', 'Free for the first ' + str(b.ri(7, 30)) + ' days.'])}",
        f"Ad copy v{b.ri(2, 9)}: 'Meet singles who share your faith.' Target audience: adults 30+, all genders.",
        f"Pride month campaign brief: rainbow logo from {b.other_date(3)}; donate {b.ri(5, 20)}% of proceeds.",
    ])


@fam("forum_post", "text", absent=(SSN, CARD, IBAN, VIN, PASSPORT, IP, MAC))
def _f(b: B):
    p = b.person()
    user = b.username(p) if b.coin(0.8) else None
    if not user:
        b.no(USER)
    by = f"Posted by u/{user}" if user else "Posted by [deleted]"
    if user and b.coin(0.7):
        k = b.ri(0, 3)
        if k == 0:
            body = f"Diagnosed with {b.condition()} last spring. Anyone else on {b.medication()}? The fatigue is real."
        elif k == 1:
            body = f"As a {b.val(RELIGION, b.pick(RELIGIONS))} I find the office Christmas party awkward. Tips?"
        elif k == 2:
            body = f"Came out as {b.val(ORIENT, b.pick(ORIENTATIONS))} to my parents this weekend, went better than expected."
        else:
            body = f"I'm {b.age(p)} and just got {b.val(MARITAL, b.pick(['divorced', 'married', 'engaged']))}. Life is weird."
        return f"{by} · {b.ri(1, 23)}h\n{body}"
    b.no(COND, RELIGION, ORIENT)
    return f"{by} · {b.ri(1, 23)}h\n" + b.pick([
        f"PSA: {b.ri(10, 40)}% of adults have {b.pick(CONDITIONS)} and don't know it. Get checked.",
        "Which religions observe a fast this month? Planning team lunches around it.",
        "Great article on how orientation questions are handled in census forms.",
    ])


@fam("census_response_text", "text", absent=(CARD, IBAN, IP, MAC, VIN, PASSWORD, SALARY))
def _f(b: B):
    p = b.person()
    if b.coin(0.6):
        lines = [f"Household questionnaire — respondent {b.name(p)}"]
        for f in b.sample(["eth", "rel", "mar", "age", "nat", "pob"], b.ri(2, 4)):
            if f == "eth":
                lines.append(f"Ethnic group: {b.val(ETHNIC, b.pick(ETHNICITIES))}")
            elif f == "rel":
                lines.append(f"Religion: {b.val(RELIGION, b.pick(RELIGIONS))}")
            elif f == "mar":
                lines.append(f"Marital status: {b.val(MARITAL, b.pick(MARITAL_STATUSES))}")
            elif f == "age":
                lines.append(f"Age: {b.age(p)}")
            elif f == "nat":
                lines.append(f"Citizenship: {b.val(NATION, b.pick(NATIONALITIES))}")
            else:
                lines.append(f"Country of birth: {b.val(POB, b.pick(BIRTH_PLACES).split(', ')[1])}")
        return "\n".join(lines)
    b.no(ETHNIC, RELIGION, MARITAL, AGE, NATION, POB, NAME)
    return (f"District summary: {b.ri(20, 70)}% married, median age {b.ri(31, 48)}, {b.ri(2, 30)}% {b.pick(ETHNICITIES)}, "
            f"{b.ri(5, 60)}% {b.pick(RELIGIONS)}, {b.ri(3, 25)}% born abroad. Source: {b.ri(2011, 2023)} census tables.")


@fam("political_canvass", "text", absent=(CARD, IBAN, MRN, MAC, VIN, PASSWORD, SALARY))
def _f(b: B):
    p = b.person()
    if b.coin(0.6):
        lines = [f"Canvass sheet — ward {b.ri(1, 30)}"]
        lines.append(f"{b.name(p)}, {b.home_address(p) if b.coin() else 'door ' + str(b.ri(1, 90))}")
        lines.append(f"Leaning: {b.val(POLIT, b.pick(PARTIES))}; {b.pick(['will vote by post', 'undecided on turnout', 'wants a yard sign'])}")
        if b.coin(0.4):
            lines.append(f"Phone: {b.phone(p.country)}")
        return "\n".join(lines)
    b.no(POLIT, NAME)
    return b.pick([
        f"Press release: the {b.pick(['Green', 'Labour', 'Liberal', 'Conservative'])} party will publish its manifesto on {b.other_date(3)}.",
        f"Poll tracker: {b.ri(20, 40)}% Democrat, {b.ri(20, 40)}% Republican, {b.ri(10, 30)}% independent among likely voters.",
        f"Volunteers wanted for the {b.pick(['SPD', 'CDU', 'Labour'])} campaign office at {b.business_address()}.",
    ])


@fam("hr_accommodation_request", "text", absent=(CARD, IBAN, IP, MAC, VIN, PASSWORD, PLATE))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        who = b.name(p)
        k = b.ri(0, 2)
        if k == 0:
            req = f"As a practising {b.val(RELIGION, b.pick(['Muslim', 'Jew', 'Sikh', 'Hindu', 'Seventh-day Adventist']))}, I request flexible hours on {b.pick(['Fridays', 'Saturdays', 'holy days'])}."
        elif k == 1:
            req = f"Due to my {b.condition()} I need a standing desk and {b.ri(2, 5)} extra breaks a day."
        else:
            req = f"I'm pregnant and would like to adjust my shifts; my doctor prescribed {b.medication()}."
        return f"To HR ({b.role_email()}):\n{req}\n— {who}, {b.employee_id() if b.coin() else 'Warehouse team'}"
    b.no(RELIGION, COND, NAME)
    return (f"HR policy {b.ri(1, 20)}.{b.ri(1, 9)}: employees may request accommodations for religious observance or medical conditions. "
            f"Requests go to {b.role_email()} and are answered within {b.ri(5, 15)} working days.")


@fam("diversity_report", "text", absent=(NAME, EMAIL, PHONE, SSN, CARD, DOB, ADDRESS, MRN))
def _f(b: B):
    b.no(GENDER, ETHNIC, ORIENT, RELIGION, AGE, SALARY)
    return (f"{b.company().short} diversity report {b.ri(2019, 2024)}: {b.ri(30, 60)}% women, {b.ri(1, 5)}% non-binary; "
            f"{b.ri(5, 30)}% {b.pick(ETHNICITIES)} staff; {b.ri(2, 12)}% identify as LGBTQ+; median age {b.ri(29, 45)}; "
            f"gender pay gap {b.ri(1, 18)}%. Figures are aggregated; groups under 10 people are suppressed.")


@fam("benefits_enrollment", "text", absent=(CARD, IP, MAC, VIN, PASSWORD, ORIENT, POLIT))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        lines = [f"Benefits election {b.ri(2022, 2025)} — {b.name(p)} ({b.employee_id()})"]
        if b.coin():
            lines.append(f"Marital status: {b.val(MARITAL, b.pick(MARITAL_STATUSES))}")
        if b.coin():
            q = b.person(p.country)
            lines.append(f"Dependent: {b.name(q, 'first')}, born {b.dob(q)}")
        if b.coin(0.5):
            lines.append(f"Health plan member ID: {b.health_ins()}")
        return "\n".join(lines)
    b.no(MARITAL, NAME, EMPID, DOB)
    return (f"Open enrolment closes {b.other_date(3)}. Changes in marital status (married, divorced) count as qualifying events. "
            f"Dependents must be under 26. Questions: {b.role_email()}")


# ------------------------------------------------------------------- misc --
@fam("sms_thread", "text", absent=(SSN, CARD, MRN, VIN, SALARY, PASSPORT, IBAN, HINS, DL, NATID))
def _f(b: B):
    p = b.person()
    msgs = []
    if b.coin():
        msgs.append(f"hey it's {b.first(p)}, new number btw: {b.phone(p.country)}")
    else:
        msgs.append(f"Your code is {b.digits(6)}. Don't share it. Msg from {b.phone_fictional() if b.coin() else b.phone_tollfree()}")
        b.no(NAME)
    msgs.append(b.pick(["ok see u at 7", "running late sorry", "can u grab milk", "👍"]))
    if b.coin(0.4):
        msgs.append(f"address for saturday is {b.home_address(p)}")
    if b.coin(0.3):
        msgs.append(f"the door code is {b.digits(4)}")
    return "\n".join(f"[{b.ri(7, 23):02d}:{b.ri(0, 59):02d}] {m}" for m in msgs)


@fam("tenant_message", "text", absent=(SSN, CARD, MRN, VIN, MAC, IP, RELIGION))
def _f(b: B):
    p = b.person()
    named = b.coin(0.7)
    lines = [b.pick(["Hi,", "Dear landlord,", "Hello property management,"])]
    lines.append(b.pick(["The heating in my flat has stopped working again.", "There's a leak under the kitchen sink.",
                         "I'd like to give notice; my last day will be the end of next month."]))
    if b.coin():
        lines.append(f"The flat is {b.home_address(p)}.")
    else:
        lines.append(f"(Your office at {b.business_address()} didn't answer.)")
    if b.coin(0.5):
        lines.append(f"Reach me on {b.phone(p.country)}.")
    else:
        lines.append(f"I tried the maintenance line {b.phone_switchboard()}.")
    lines.append(f"— {b.name(p)}" if named else "— tenant, flat 4")
    if not named:
        b.no(NAME)
    return "\n".join(lines)


@fam("court_notice", "text", absent=(CARD, IBAN, MAC, IP, VIN, USER, PASSWORD, ORIENT))
def _f(b: B):
    p = b.person("US")
    if b.coin(0.6):
        lines = [f"NOTICE OF HEARING — Case No. {b.ri(2019, 2024)}-CV-{b.digits(5)}",
                 f"Defendant: {b.name(p, 'upper')}" if b.coin() else f"Defendant: {b.name(p)}"]
        if b.coin():
            lines.append(f"DOB: {b.dob(p)}")
        if b.coin():
            lines.append(f"Last known address: {b.home_address(p)}")
        lines.append(f"Hearing date: {b.other_date(3)} at 9:30 AM, Courtroom {b.ri(1, 20)}")
        return "\n".join(lines)
    b.no(NAME, DOB, ADDRESS)
    return (f"Court calendar for {b.other_date(3)}: {b.ri(10, 60)} civil matters, {b.ri(5, 30)} traffic matters. "
            f"Case names are withheld online. Courthouse: {b.business_address('US')}.")


@fam("school_newsletter", "text", absent=(SSN, CARD, IBAN, MAC, IP, VIN, PASSWORD, SALARY))
def _f(b: B):
    lines = [f"{b.pick(COMPANY_WORDS_A)} Academy newsletter — {b.pick(['autumn', 'spring', 'summer'])} term"]
    t0, t1 = b.date_pair(120, 3)
    lines.append(f"Term dates: {t0} to {t1}. Sports day at {b.lookalike('place')}.")
    if b.coin(0.55):
        p = b.person()
        lines.append(f"Congratulations to {b.name(p, 'full')} (student no. {b.student_id()}) on winning the regional maths olympiad!"
                     if b.coin() else f"Congratulations to {b.name(p, 'full')} on the regional maths olympiad!")
    else:
        b.no(NAME, STUDENT)
        lines.append(f"{b.ri(60, 98)}% attendance this term. Student ID cards are replaced at the front office.")
    lines.append(f"Office: {b.role_email()} / {b.phone_switchboard()}")
    return "\n".join(lines)


@fam("wire_fraud_alert", "text", absent=(COND, MED, RELIGION, ORIENT, VIN, MRN, STUDENT))
def _f(b: B):
    p = b.person()
    lines = [f"Fraud alert {b.hexs(6).upper()}"]
    if b.coin(0.65):
        lines.append(f"Customer {b.name(p)} (acct {b.account_number()}) reported an unauthorised transfer.")
        if b.coin():
            lines.append(f"Destination IBAN {b.iban()} flagged as money-mule account.")
        if b.coin(0.5):
            lines.append(f"Card {b.card()} blocked at {b.ts()}.")
        else:
            lines.append(f"Card {b.masked_card()} blocked.")
    else:
        b.no(NAME, ACCT, IBAN, CARD)
        lines.append(f"Pattern: transfers to {b.iban_invalid()} style accounts; {b.ri(3, 40)} customers affected. GL account {b.ri(1000, 9999)}-{b.pick(['Fraud losses', 'Suspense'])}.")
    lines.append(f"Escalate to {b.role_email()}.")
    return "\n".join(lines)


@fam("gift_card_receipt", "text", absent=(NAME, SSN, MRN, COND, DOB, ADDRESS, PASSPORT))
def _f(b: B):
    b.no(CARD, ACCT, CUSTID)
    return (f"RECEIPT {b.other_date(2)} {b.ri(8, 21)}:{b.ri(10, 59)}\nStore #{b.ri(100, 999)} {b.lookalike('food')}\n"
            f"Gift card {b.card_luhn_fail(' ')}  balance {b.money(1, 80, '$')}\nAuth code {b.digits(6)}  Terminal {b.digits(8)}\n"
            f"Card {b.masked_card()}\nLoyalty: guest")


@fam("conference_badge_list", "text", absent=(SSN, CARD, MRN, COND, IBAN, VIN, PASSWORD))
def _f(b: B):
    lines = [f"{b.pick(['DevSummit', 'DataCon', 'HealthTech Forum', 'FinOps Day'])} {b.ri(2021, 2025)} — speaker list"]
    if b.coin(0.7):
        for _ in range(b.ri(2, 4)):
            q, c = b.person(), b.company()
            t = b.pick(JOB_TITLES)
            lines.append(f"{b.name(q, 'full')} — {b.val(JOB, t)}, {b.employer(c)}")
        if b.coin(0.3):
            lines.append(f"Contact for {b.name(q, 'first')}: {b.email(q)}")
    else:
        b.no(NAME, JOB, EMPLOYER)
        lines.append("Speakers to be announced. Sponsors: " + ", ".join(b.company().name for _ in range(3)))
    lines.append(f"Venue: {b.lookalike('place')} · {b.business_address()}")
    return "\n".join(lines)


# ===================================================================== JSON --
def _meta(b: B) -> dict:
    return {b.k("created at"): b.ts(), b.k("source"): b.pick(["web", "mobile", "import", "api", "batch"])}


@fam("j_user_profile", "json", absent=(COND, MED, RELIGION, VIN, MRN, SALARY, NATID, POB))
def _f(b: B):
    p = b.person()
    o = {b.k("user id"): b.ri(1000, 9999999)}
    if b.coin(0.7):
        o[b.k("display name")] = b.name(p, b.pick(["full", "first"]))
    else:
        b.no(NAME)
        o[b.k("display name")] = b.anon_handle()
    if b.coin():
        o[b.k("email")] = b.email(p)
    else:
        o[b.k("email")] = None
        o[b.k("email verified")] = False
        b.no(EMAIL)
    if b.coin():
        o[b.k("phone")] = b.phone(p.country)
    if b.coin(0.4):
        o[b.k("birthday")] = b.dob(p, b.pick([2, 0, 7]))
    else:
        o[b.k("last login")] = b.other_date(2)
    if b.coin(0.3):
        o[b.k("website")] = b.personal_url(p)
    o[b.k("locale")] = b.pick(["en-GB", "de-DE", "fr-FR", "pt-BR", "en-US"])
    o.update(_meta(b))
    return o


@fam("j_crm_contact", "json", absent=(COND, MED, RELIGION, VIN, MRN, PASSWORD, SSN, NATID, MARITAL))
def _f(b: B):
    p, c = b.person(), b.company()
    o = {"Id": f"003{b.hexs(12)}", b.k("account"): c.name}
    named = b.coin(0.7)
    if named:
        o[b.k("first name")] = b.val(NAME, p.first)
        o[b.k("last name")] = b.val(NAME, p.last)
        o[b.k("title")] = b.val(JOB, b.pick(JOB_TITLES))
        b.val(EMPLOYER, c.name)
    else:
        b.no(NAME, JOB, EMPLOYER)
        o[b.k("first name")] = ""
        o[b.k("last name")] = "[unknown]"
    o[b.k("email")] = b.email(p) if named and b.coin(0.7) else b.role_email(c)
    o[b.k("phone")] = b.phone(p.country) if named and b.coin(0.5) else b.phone_switchboard()
    if b.coin(0.3):
        o[b.k("mobile")] = b.phone(p.country) if named else None
    o[b.k("lead source")] = b.pick(["Webinar", "Trade show", "Referral", "Cold call"])
    return o


@fam("j_crm_company", "json", absent=(NAME, DOB, SSN, COND, MED, AGE, GENDER, PASSPORT))
def _f(b: B):
    c = b.company()
    b.no(EMAIL, PHONE, ADDRESS, URL, TAXID)
    o = {b.k("account name"): c.name, b.k("domain"): c.domain, b.k("website"): b.company_url(c),
         b.k("billing email"): b.role_email(c), b.k("main phone"): b.phone_switchboard(),
         b.k("hq address"): b.business_address(), b.k("vat id"): b.company_tax_id(),
         b.k("employees"): b.ri(5, 90000), b.k("industry"): b.pick(["Retail", "Healthcare", "Logistics", "Software"])}
    if b.coin(0.4):
        p = b.person()
        o[b.k("primary contact")] = {b.k("name"): b.name(p, "full"), b.k("email"): b.email(p) if b.coin() else b.role_email(c)}
    return o


@fam("j_hr_employee", "json", absent=(CARD, IP, MAC, VIN, GEO, PASSWORD, DEVICE))
def _f(b: B):
    p, c = b.person(), b.company()
    o = {b.k("employee id"): b.employee_id()}
    named = b.coin(0.75)
    if named:
        o[b.k("name")] = b.name(p, b.pick(["full", "lastfirst"]))
        o[b.k("job title")] = b.val(JOB, b.pick(JOB_TITLES))
        o[b.k("department")] = b.pick(["Finance", "Engineering", "Operations", "Sales"])
        if b.coin():
            o[b.k("salary")] = b.salary()
        if b.coin(0.4):
            o[b.k("date of birth")] = b.dob(p, 2)
        if b.coin(0.3):
            o[b.k("ssn")] = b.ssn()
        if b.coin(0.3):
            o[b.k("home address")] = b.home_address(p)
        if b.coin(0.25):
            o[b.k("marital status")] = b.val(MARITAL, b.pick(MARITAL_STATUSES))
        if b.coin(0.25):
            o[b.k("gender")] = b.val(GENDER, b.pick(GENDERS))
    else:
        b.labels.clear(); b.values.clear()
        b.no(NAME, EMPID, SALARY, JOB)
        o = {b.k("employee id"): "EMP-00000", b.k("name"): b.placeholder_name(), b.k("job title"): "<title>",
             b.k("salary"): 0, b.k("comment"): "template row for the import tool"}
    o[b.k("hire date")] = b.other_date(2)
    return o


@fam("j_hr_requisition", "json", absent=(NAME, EMAIL, SSN, DOB, ADDRESS, COND, PASSPORT))
def _f(b: B):
    c = b.company()
    b.no(JOB, SALARY, EMPLOYER, AGE)
    lo = b.ri(40, 120) * 1000
    return {b.k("req id"): f"REQ-{b.digits(5)}", b.k("title"): b.pick(JOB_TITLES), b.k("company"): c.name,
            b.k("salary min"): lo, b.k("salary max"): lo + b.ri(10, 50) * 1000, b.k("currency"): b.pick(["USD", "EUR", "GBP"]),
            b.k("headcount"): b.ri(1, 5), b.k("min age"): 18, b.k("recruiter"): b.role_email(c), b.k("opened"): b.other_date(2)}


@fam("j_auth_event", "json", absent=(COND, MED, DOB, SALARY, RELIGION, ADDRESS, PASSPORT, SSN, NATID, EMPID))
def _f(b: B):
    p = b.person()
    human = b.coin(0.6)
    o = {b.k("event"): b.pick(["login.success", "login.failure", "mfa.challenge", "password.change"]), b.k("ts"): b.ts()}
    if human:
        o[b.k("user")] = b.email(p) if b.coin() else b.username(p)
        o[b.k("ip")] = b.ip_public() if b.coin(0.75) else b.ip_nonpersonal()
        if b.coin(0.3):
            o[b.k("device id")] = b.device_id()
        if b.coin(0.25):
            o[b.k("geo")] = {b.k("lat lon"): b.geo(), b.k("city"): b.pick(["Leeds", "Austin", "Lyon", "Pune"])}
    else:
        o[b.k("user")] = b.system_user()
        o[b.k("ip")] = b.ip_nonpersonal()
        b.no(EMAIL)
    o[b.k("user agent")] = b.pick(["Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)", "okhttp/4.12", "python-requests/2.31"])
    b.no(NAME)
    return o


@fam("j_k8s_config", "json", absent=(NAME, EMAIL, PHONE, DOB, SSN, COND, SALARY, AGE, GENDER, ADDRESS))
def _f(b: B):
    b.no(IP, PASSWORD, USER)
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": f"{b.pick(['api', 'etl', 'web'])}-config", "namespace": b.pick(["prod", "staging"])},
            "data": {"DB_HOST": b.ip_nonpersonal(), "DB_USER": b.system_user(), "DB_PASSWORD": b.password_placeholder(),
                     "DNS": b.ip_nonpersonal(), "ALLOWED_CIDR": f"{b.ip_nonpersonal()}/16", "LOG_LEVEL": "info"}}


@fam("j_service_config", "json", absent=(NAME, DOB, SSN, COND, SALARY, AGE, GENDER, ADDRESS, PASSPORT))
def _f(b: B):
    c = b.company("tech")
    b.no(EMAIL, PHONE, IP, PASSWORD, URL)
    o = {b.k("service"): b.pick(["billing", "notifier", "search", "auth"]),
         b.k("admin email"): b.role_email(c), b.k("alert phone"): b.phone_tollfree(),
         b.k("listen"): f"{b.ip_nonpersonal()}:{b.pick([80, 443, 8080])}", b.k("smtp password"): b.password_placeholder(),
         b.k("status page"): b.company_url(c), b.k("maintenance window"): b.other_date(2)}
    if b.coin(0.35):
        p = b.person()
        o[b.k("on call")] = {b.k("name"): b.name(p, "full"), b.k("mobile"): b.phone(p.country)}
    return o


@fam("j_payment_event", "json", absent=(COND, MED, RELIGION, ORIENT, MRN, VIN, STUDENT))
def _f(b: B):
    p = b.person()
    o = {b.k("type"): b.pick(["charge.succeeded", "charge.refunded", "payment_intent.created"]), b.k("id"): f"ch_{b.hexs(20)}",
         b.k("amount"): b.ri(100, 99999), b.k("currency"): b.pick(["usd", "eur", "gbp"])}
    if b.coin(0.5):
        o[b.k("card")] = {b.k("number"): b.card(b.pick(["", " "])), b.k("exp"): f"{b.ri(1,12):02d}/{b.ri(25,31)}"}
    else:
        o[b.k("card")] = {b.k("last4"): b.digits(4), b.k("brand"): b.pick(["visa", "mastercard", "amex"]), b.k("fingerprint"): b.hexs(16)}
        b.no(CARD)
    if b.coin(0.5):
        o[b.k("billing")] = {b.k("name"): b.name(p, "full"), b.k("address"): b.home_address(p)}
    else:
        o[b.k("billing")] = {b.k("postal code"): b.home_postcode(p) if b.coin(0.3) else None}
        b.no(NAME, ADDRESS)
    o[b.k("order ref")] = b.card_luhn_fail("")
    if b.coin(0.3):
        o[b.k("customer")] = b.customer_id()
    return o


@fam("j_order", "json", absent=(COND, MED, RELIGION, ORIENT, SSN, PASSPORT, MRN, DL, STUDENT, NATID))
def _f(b: B):
    p = b.person()
    o = {b.k("order id"): f"{b.letters(2)}-{b.digits(8)}", b.k("order date"): b.other_date(2),
         b.k("items"): [{b.k("sku"): f"{b.letters(3)}{b.digits(4)}", b.k("qty"): b.ri(1, 5)} for _ in range(b.ri(1, 3))]}
    b.no(DOB)
    if b.coin(0.6):
        ship = {b.k("name"): b.name(p), b.k("line1"): b.home_address(p)}
        if b.coin():
            ship[b.k("phone")] = b.phone(p.country)
        o[b.k("ship to")] = ship
    else:
        o[b.k("ship to")] = {b.k("pickup point"): b.business_address(), b.k("phone"): b.phone_switchboard()}
        b.no(NAME)
    if b.coin(0.4):
        o[b.k("customer id")] = b.customer_id()
    o[b.k("notify")] = b.email(p) if b.coin(0.4) else b.role_email()
    return o


@fam("j_fhir_patient", "json", absent=(CARD, IBAN, IP, MAC, VIN, SALARY, PASSWORD, POLIT))
def _f(b: B):
    p = b.person()
    if b.coin(0.75):
        o = {"resourceType": "Patient", "id": b.hexs(8),
             "identifier": [{"system": "urn:oid:2.16.840.1.113883.3.1", "value": b.mrn()}],
             "name": [{"family": b.val(NAME, p.last), "given": [b.val(NAME, p.first)]}]}
        if b.coin():
            o["birthDate"] = b.dob(p, 2)
        if b.coin(0.5):
            o["gender"] = b.val(GENDER, b.pick(["female", "male", "other"]))
        if b.coin(0.4):
            o["telecom"] = [{"system": "phone", "value": b.phone(p.country), "use": "mobile"}]
        if b.coin(0.3):
            o["address"] = [{"text": b.home_address(p)}]
        return o
    b.no(NAME, MRN, DOB, GENDER)
    return {"resourceType": "StructureDefinition", "name": "Patient", "description": "birthDate: the date of birth; identifier: MRN; gender: administrative gender",
            "example": {"name": [{"family": "Doe", "given": ["John"]}], "birthDate": "1970-01-01"}}


@fam("j_fhir_condition", "json", absent=(CARD, IBAN, IP, MAC, VIN, SALARY, PASSWORD, POLIT, USER))
def _f(b: B):
    p = b.person()
    cond = b.pick(CONDITIONS)
    if b.coin(0.65):
        subj = b.pick(["name", "mrn"])
        o = {"resourceType": "Condition", "code": {"text": b.val(COND, cond)}, "clinicalStatus": "active",
             "subject": {"display": b.name(p)} if subj == "name" else {"identifier": {"value": b.mrn()}},
             "onsetDateTime": b.other_date(2)}
        return o
    b.no(COND)
    return {"resourceType": "ValueSet", "name": "chronic-conditions", "compose": {"include": [{"concept": [{"display": cond}, {"display": b.pick(CONDITIONS)}]}]},
            "description": f"Used for population reporting; prevalence {b.ri(2, 30)}%"}


@fam("j_medication_request", "json", absent=(CARD, IBAN, IP, MAC, VIN, SALARY, PASSWORD, POLIT))
def _f(b: B):
    p = b.person()
    med = b.pick(MEDICATIONS)
    if b.coin(0.65):
        return {"resourceType": "MedicationRequest", "status": "active", "medicationCodeableConcept": {"text": b.val(MED, med)},
                "subject": {"reference": f"Patient/{b.hexs(6)}", "display": b.name(p)},
                "authoredOn": b.other_date(2), "dosageInstruction": [{"text": b.pick(["once daily", "twice daily with food", "as needed"])}]}
    b.no(MED, NAME)
    return {b.k("formulary item"): med, b.k("stock"): b.ri(0, 500), b.k("unit price"): b.money(1, 90, "$"),
            b.k("supplier"): b.company("health").name, b.k("reorder date"): b.other_date(2)}


@fam("j_insurance_eligibility", "json", absent=(CARD, IP, MAC, VIN, PASSWORD, POLIT, ORIENT))
def _f(b: B):
    p = b.person("US")
    o = {b.k("payer id"): b.digits(5), b.k("group number"): b.digits(7), b.k("checked at"): b.ts()}
    b.no(HINS)
    if b.coin(0.65):
        o[b.k("member id")] = b.health_ins()
        o[b.k("subscriber")] = {b.k("name"): b.name(p, "upper"), b.k("dob"): b.dob(p, 0)} if b.coin() else {b.k("name"): b.name(p)}
    else:
        o[b.k("member id")] = None
        o[b.k("note")] = "batch test against payer sandbox"
    o[b.k("status")] = b.pick(["active", "terminated", "not found"])
    return o


@fam("j_device_telemetry", "json", absent=(SSN, CARD, COND, SALARY, DOB, PASSPORT, MRN, NAME))
def _f(b: B):
    o = {b.k("ts"): b.ts(), b.k("battery"): b.ri(3, 100), b.k("app version"): f"{b.ri(1,9)}.{b.ri(0,20)}"}
    if b.coin(0.6):
        o[b.k("device id")] = b.device_id()
        if b.coin(0.6):
            o[b.k("location")] = b.geo()
        if b.coin(0.3):
            o[b.k("wifi bssid")] = b.mac()
    else:
        o[b.k("device id")] = b.device_nonpersonal()
        g, where = b.geo_nonpersonal()
        o[b.k("location")] = g
        o[b.k("note")] = f"simulator pinned to {where}"
    return o


@fam("j_fleet_telemetry", "json", absent=(NAME, EMAIL, SSN, DOB, COND, MED, SALARY, AGE, GENDER))
def _f(b: B):
    c = b.company()
    b.no(VIN, PLATE, GEO)
    return {b.k("fleet"): c.short, b.k("vehicles"): [
        {b.k("unit"): f"T-{b.ri(10, 999)}", b.k("vin"): b._vin_value(), b.k("depot"): b.geo_nonpersonal()[0],
         b.k("odometer km"): b.ri(1000, 400000)} for _ in range(b.ri(1, 3))], b.k("report date"): b.other_date(2)}


@fam("j_car_telematics", "json", absent=(SSN, CARD, COND, MED, SALARY, PASSPORT, MRN, RELIGION))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        o = {b.k("driver"): b.name(p) if b.coin() else b.username(p), b.k("vin"): b.vin()}
        if b.coin():
            o[b.k("plate")] = b.plate()
        o[b.k("trip")] = {b.k("start"): b.geo(), b.k("end"): b.geo(), b.k("km"): round(b.r.uniform(1, 90), 1)}
        return o
    b.no(NAME, VIN, PLATE, GEO)
    return {b.k("model"): b.pick(["ID.3", "Model Y", "Corolla Hybrid"]), b.k("sample vin"): b.vin_nonpersonal(),
            b.k("demo plate"): b.plate_nonpersonal(), b.k("test track"): b.geo_nonpersonal()[0]}


@fam("j_bank_account", "json", absent=(COND, MED, MAC, IP, VIN, ORIENT, GEO, STUDENT))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        o = {b.k("holder"): b.name(p), b.k("opened"): b.other_date(2)}
        r = b.ri(0, 2)
        if r == 0:
            o[b.k("iban")] = b.iban(spaced=False)
        elif r == 1:
            o[b.k("account number")] = b.account_number()
            o[b.k("routing")] = b.pick(["021000021", "026009593", "121000358"])
        else:
            o[b.k("bank details")] = b.bank_account()
        if b.coin(0.3):
            o[b.k("tax id")] = b.tax_id()[0]
        return o
    b.no(NAME, IBAN, ACCT, BANK)
    return {b.k("holder"): b.company().name, b.k("iban"): b.company_iban(), b.k("type"): "corporate current account",
            b.k("gl account"): f"{b.ri(1000, 9999)}", b.k("tax id"): b.company_tax_id()}


@fam("j_vendor_payout", "json", absent=(NAME, DOB, SSN, COND, MED, AGE, GENDER, PASSPORT))
def _f(b: B):
    c = b.company()
    b.no(IBAN, BANK, ACCT, EMAIL)
    return {b.k("vendor"): c.name, b.k("remit to"): b.company_iban(), b.k("invoice"): b.card_luhn_fail(""),
            b.k("amount"): b.money(100, 90000, ""), b.k("contact"): b.role_email(c), b.k("due"): b.other_date(2),
            b.k("ledger account"): f"{b.ri(2000, 2999)}-AP"}


@fam("j_kyc_submission", "json", absent=(MAC, IP, VIN, COND, MED, SALARY, ORIENT, PASSWORD))
def _f(b: B):
    p = b.person()
    if b.coin(0.7):
        o = {b.k("applicant"): {b.k("given name"): b.val(NAME, p.first), b.k("surname"): b.val(NAME, p.last)}}
        if b.coin():
            o[b.k("dob")] = b.dob(p, 2)
        doc = b.ri(0, 2)
        if doc == 0:
            o[b.k("document")] = {b.k("type"): "passport", b.k("number"): b.passport()}
        elif doc == 1:
            nid, kind = b.national_id()
            o[b.k("document")] = {b.k("type"): kind, b.k("number"): nid}
        else:
            o[b.k("document")] = {b.k("type"): "driving_licence", b.k("number"): b.drivers_license()}
        if b.coin(0.4):
            o[b.k("nationality")] = b.val(NATION, b.pick(NATIONALITIES))
        if b.coin(0.3):
            o[b.k("place of birth")] = b.val(POB, b.pick(BIRTH_PLACES))
        return o
    b.no(NAME, PASSPORT, NATID, DL, NATION, POB)
    return {b.k("sandbox"): True, b.k("document"): {b.k("type"): "passport", b.k("number"): b.passport_specimen()},
            b.k("id card"): b.natid_specimen(), b.k("licence"): b.dl_specimen(), b.k("nationality"): "UTO (ICAO test state)"}


@fam("j_student_record", "json", absent=(CARD, IBAN, IP, MAC, VIN, SALARY, PASSWORD, POLIT))
def _f(b: B):
    p = b.person()
    if b.coin(0.7):
        o = {b.k("student id"): b.student_id(), b.k("name"): b.name(p), b.k("programme"): b.pick(["BSc Biology", "MA History", "BEng Civil"]),
             b.k("gpa"): round(b.r.uniform(2.0, 4.0), 2)}
        if b.coin(0.5):
            o[b.k("dob")] = b.dob(p, 2)
        if b.coin(0.3):
            o[b.k("email")] = b.email(p)
        return o
    b.no(STUDENT, NAME)
    return {b.k("course"): f"{b.letters(3)}-{b.ri(100, 499)}", b.k("enrolled"): b.ri(10, 300), b.k("room"): f"{b.letters(1)}{b.ri(100, 399)}",
            b.k("student id format"): "8 digits", b.k("average grade"): round(b.r.uniform(2.0, 4.0), 2)}


@fam("j_loyalty_member", "json", absent=(SSN, MRN, COND, MED, IP, MAC, VIN, PASSPORT))
def _f(b: B):
    p = b.person()
    o = {b.k("program"): b.company("retail").short + " Rewards", b.k("tier"): b.pick(["silver", "gold", "platinum"]), b.k("points"): b.ri(0, 90000)}
    if b.coin(0.65):
        o[b.k("member id")] = b.customer_id()
        if b.coin():
            o[b.k("email")] = b.email(p)
        if b.coin(0.4):
            o[b.k("birthday")] = b.dob(p, 0)
    else:
        o[b.k("member id")] = "CUST-XXXXXXX"
        o[b.k("note")] = "placeholder record for tier config"
        b.no(CUSTID, EMAIL)
    return o


@fam("j_analytics_aggregate", "json", absent=(NAME, EMAIL, PHONE, SSN, ADDRESS, DOB, PASSPORT, CARD))
def _f(b: B):
    b.no(AGE, GENDER, ETHNIC, COND, SALARY, POSTAL, RELIGION)
    return {b.k("report"): b.pick(["weekly cohort", "customer demographics", "patient panel"]), b.k("n"): b.ri(200, 90000),
            b.k("avg age"): round(b.r.uniform(25, 60), 1), b.k("pct female"): round(b.r.uniform(30, 70), 1),
            b.k("top postal codes"): [b.business_postcode() for _ in range(3)], b.k("pct with condition"): {b.pick(CONDITIONS): b.ri(2, 40)},
            b.k("median salary"): b.ri(30, 90) * 1000, b.k("ethnicity breakdown"): {b.pick(ETHNICITIES): b.ri(2, 40)}}


@fam("j_json_schema", "json", absent=(COND, MED, RELIGION, VIN, PLATE, SALARY))
def _f(b: B):
    b.no(EMAIL, PHONE, DOB, SSN, NAME, ADDRESS, IP)
    props = {"email": {"type": "string", "format": "email", "examples": [b.placeholder_email()]},
             "phone": {"type": "string", "pattern": "^\\+?[0-9 ()-]{7,20}$"},
             "date_of_birth": {"type": "string", "format": "date", "description": "Customer's date of birth"},
             "ssn": {"type": "string", "pattern": "^\\d{3}-\\d{2}-\\d{4}$", "examples": [b.ssn_shaped()]},
             "full_name": {"type": "string", "examples": [b.placeholder_name()]},
             "address": {"type": "string", "examples": [b.placeholder_address()]},
             "ip": {"type": "string", "format": "ipv4", "examples": [b.ip_nonpersonal()]}}
    keys = b.sample(list(props), b.ri(3, 6))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": b.pick(["Customer", "Applicant", "Contact"]),
            "type": "object", "properties": {k: props[k] for k in keys}, "required": keys[:2]}


@fam("j_openapi_example", "json", absent=(COND, MED, RELIGION, MRN, VIN, SALARY))
def _f(b: B):
    b.no(NAME, EMAIL, PHONE, CARD)
    ex = {"name": b.placeholder_name(), "email": b.placeholder_email(), "phone": b.phone_fictional()}
    if b.coin(0.5):
        ex["card_number"] = b.test_card()
    return {"paths": {"/customers": {"post": {"summary": "Create customer", "requestBody": {"content": {"application/json": {"example": ex}}}}}},
            "servers": [{"url": f"https://api.{b.company().domain}"}]}


@fam("j_webform_submission", "json", absent=(MRN, VIN, MAC, SALARY, RELIGION, SSN, NATID, POB))
def _f(b: B):
    p = b.person()
    fields = []
    named = b.coin(0.75)
    if named:
        fields.append({"name": "name", "value": b.name(p, "full")})
    else:
        fields.append({"name": "name", "value": ""})
        b.no(NAME)
    if b.coin():
        fields.append({"name": "email", "value": b.email(p)})
    else:
        fields.append({"name": "email", "value": b.placeholder_email()})
    if b.coin(0.5):
        fields.append({"name": "phone", "value": b.phone(p.country)})
    fields.append({"name": "message", "value": b.pick(["Please call me about a quote.", "Do you ship to Ireland?", "test test ignore"])})
    return {b.k("form"): b.pick(["contact", "quote-request", "newsletter"]), b.k("submitted"): b.ts(), b.k("fields"): fields,
            b.k("ip"): b.ip_public() if named and b.coin(0.4) else b.ip_nonpersonal()}


@fam("j_chat_event", "json", absent=(SSN, CARD, MRN, VIN, PASSPORT, SALARY))
def _f(b: B):
    p = b.person()
    named = b.coin(0.6)
    o = {b.k("channel"): b.pick(["whatsapp", "webchat", "sms"]), b.k("ts"): b.ts(),
         b.k("from"): b.name(p) if named else b.pick(["visitor-" + b.hexs(6), "anonymous"])}
    if not named:
        b.no(NAME)
    msg = b.pick(["is the store open sunday?", "where's my parcel", "need to change my booking"])
    if b.coin(0.5):
        msg += b.pick([" my email is {v}", " pls call {v}", " — {v}"]).format(v=b.email(p) if b.coin() else b.phone(p.country))
    else:
        msg += f" (I called {b.phone_tollfree()} already)"
    o[b.k("text")] = msg
    return o


@fam("j_survey_response", "json", absent=(CARD, IBAN, IP, MAC, VIN, PASSWORD, SSN))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        o = {b.k("respondent"): b.name(p) if b.coin(0.5) else b.email(p)}
        for f in b.sample(["age", "gender", "eth", "rel", "orient", "pol", "mar", "nat"], b.ri(2, 4)):
            if f == "age":
                o[b.k("age")] = int(b.age(p))
            elif f == "gender":
                o[b.k("gender")] = b.val(GENDER, b.pick(GENDERS))
            elif f == "eth":
                o[b.k("ethnicity")] = b.val(ETHNIC, b.pick(ETHNICITIES))
            elif f == "rel":
                o[b.k("religion")] = b.val(RELIGION, b.pick(RELIGIONS))
            elif f == "orient":
                o[b.k("sexual orientation")] = b.val(ORIENT, b.pick(ORIENTATIONS))
            elif f == "pol":
                o[b.k("party")] = b.val(POLIT, b.pick(PARTIES))
            elif f == "mar":
                o[b.k("marital status")] = b.val(MARITAL, b.pick(MARITAL_STATUSES))
            else:
                o[b.k("nationality")] = b.val(NATION, b.pick(NATIONALITIES))
        return o
    b.no(AGE, GENDER, ETHNIC, RELIGION, ORIENT, POLIT, MARITAL, NATION)
    return {b.k("question"): b.pick(["What is your religion?", "How would you describe your sexual orientation?", "Which party did you vote for?"]),
            b.k("options"): b.sample(RELIGIONS + ORIENTATIONS + PARTIES[:4], 5), b.k("responses"): b.ri(100, 9000), b.k("prefer not to say pct"): b.ri(3, 30)}


@fam("j_dating_profile", "json", absent=(SSN, CARD, IBAN, MRN, VIN, PASSPORT, IP, SALARY))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        o = {b.k("handle"): b.username(p), b.k("age"): int(b.age(p))}
        if b.coin():
            o[b.k("gender")] = b.val(GENDER, b.pick(["woman", "man", "non-binary"]))
        if b.coin():
            o[b.k("orientation")] = b.val(ORIENT, b.pick(ORIENTATIONS))
        if b.coin(0.4):
            o[b.k("religion")] = b.val(RELIGION, b.pick(RELIGIONS))
        if b.coin(0.3):
            o[b.k("last location")] = b.geo()
        return o
    b.no(USER, AGE, GENDER, ORIENT, RELIGION)
    return {b.k("filters"): {b.k("age range"): [25, 40], b.k("orientation"): b.sample(ORIENTATIONS, 2), b.k("religion"): "any"},
            b.k("saved search"): True}


@fam("j_voter_record", "json", absent=(CARD, IBAN, MRN, MAC, VIN, PASSWORD, SALARY))
def _f(b: B):
    p = b.person("US")
    if b.coin(0.65):
        o = {b.k("voter id"): b.digits(9), b.k("name"): b.name(p, "upper"), b.k("party"): b.val(POLIT, b.pick(PARTIES[:6]))}
        if b.coin():
            o[b.k("residence")] = b.home_address(p)
        if b.coin(0.4):
            o[b.k("birth year")] = p.birth.year
        return o
    b.no(POLIT, NAME)
    return {b.k("precinct"): b.ri(1, 300), b.k("registered"): b.ri(500, 9000),
            b.k("by party"): {"DEM": b.ri(100, 4000), "REP": b.ri(100, 4000), "UNA": b.ri(100, 3000)}}


@fam("j_vehicle_registration", "json", absent=(SSN, CARD, MRN, COND, MED, IP, MAC, SALARY))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        o = {b.k("plate"): b.plate(), b.k("vin"): b.vin(), b.k("make model"): b.pick(["Skoda Fabia", "Honda Jazz", "Ford Ranger"])}
        if b.coin():
            o[b.k("keeper")] = {b.k("name"): b.name(p), b.k("address"): b.home_address(p)}
        if b.coin(0.3):
            o[b.k("licence")] = b.drivers_license()
        return o
    b.no(PLATE, VIN)
    return {b.k("plate format"): b.plate_nonpersonal(), b.k("vin example"): b.vin_nonpersonal(), b.k("registrations this month"): b.ri(1000, 90000)}


@fam("j_tax_record", "json", absent=(MAC, IP, VIN, COND, MED, ORIENT, GEO))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        tid, kind = b.tax_id()
        o = {b.k("taxpayer"): b.name(p), b.k("id type"): kind, b.k("tax id"): tid, b.k("year"): b.ri(2019, 2024)}
        if b.coin(0.5):
            o[b.k("wages")] = b.salary()
        if b.coin(0.4):
            o[b.k("employer")] = b.employer()
        return o
    b.no(TAXID, NAME, SALARY)
    return {b.k("entity"): b.company().name, b.k("ein"): b.company_tax_id(), b.k("year"): b.ri(2019, 2024),
            b.k("total payroll"): b.ri(100000, 90000000)}


@fam("j_payroll_line", "json", absent=(COND, MED, IP, MAC, VIN, ORIENT, GEO))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        o = {b.k("emp no"): b.employee_id(), b.k("period"): b.other_date(2), b.k("gross"): b.salary()}
        if b.coin():
            o[b.k("name")] = b.name(p, "lastfirst")
        if b.coin(0.4):
            o[b.k("pay to")] = b.iban()
        return o
    b.no(EMPID, SALARY, NAME, IBAN)
    return {b.k("period"): b.other_date(2), b.k("headcount"): b.ri(10, 5000), b.k("gross total"): b.ri(100000, 9000000),
            b.k("employer iban"): b.company_iban()}


@fam("j_support_ticket", "json", absent=(COND, MED, SALARY, RELIGION, PASSPORT, VIN, MRN, STUDENT, POB, NATID))
def _f(b: B):
    p, c = b.person(), b.company()
    o = {b.k("ticket id"): b.ri(10000, 999999), b.k("status"): b.pick(["open", "pending", "solved"]),
         b.k("via"): b.role_email(c)}
    if b.coin(0.6):
        o[b.k("requester")] = {b.k("name"): b.name(p), b.k("email"): b.email(p)}
    else:
        o[b.k("requester")] = {b.k("name"): "Guest", b.k("email"): None}
        b.no(NAME)
    desc = b.pick(["Can't reset my password.", "Refund for order " + b.digits(7), "App crashes on start"])
    if b.coin(0.4):
        desc += f" Call me at {b.phone(p.country)}."
    o[b.k("description")] = desc
    o[b.k("tags")] = b.sample(["billing", "login", "mobile", "vip", "refund"], 2)
    return o


@fam("j_mdm_inventory", "json", absent=(SSN, CARD, COND, MED, SALARY, DOB, PASSPORT))
def _f(b: B):
    out = []
    for _ in range(b.ri(1, 3)):
        if b.coin():
            q = b.person()
            out.append({b.k("serial"): b.device_id(), b.k("assigned to"): b.name(q, "full") if b.coin() else b.email(q),
                        b.k("wifi mac"): b.mac()})
        else:
            out.append({b.k("serial"): b.device_nonpersonal(), b.k("assigned to"): None, b.k("status"): "in stock",
                        b.k("wifi mac"): b.mac_nonpersonal()})
    b.no(NAME)
    return {b.k("devices"): out, b.k("synced"): b.ts()}


@fam("j_dhcp_lease", "json", absent=(NAME, EMAIL, DOB, SSN, COND, SALARY, AGE, ADDRESS))
def _f(b: B):
    leases = []
    for _ in range(b.ri(1, 3)):
        if b.coin(0.45):
            q = b.person()
            leases.append({"ip": b.ip_nonpersonal(), "mac": b.mac(), "hostname": f"{b.username(q)}-phone"})
        else:
            leases.append({"ip": b.ip_nonpersonal(), "mac": b.mac_nonpersonal(), "hostname": b.pick(["printer-2f", "nas", "ap-01"])})
    return {"leases": leases, "server": b.ip_nonpersonal()}


@fam("j_email_headers", "json", absent=(SSN, CARD, COND, MED, DOB, PASSPORT, SALARY))
def _f(b: B):
    p, c = b.person(), b.company()
    o = {"From": f"{c.short} <{b.role_email(c)}>", "Subject": b.pick(["Your receipt", "Password changed", "Weekly digest"]),
         "Date": b.other_date(3), "Message-ID": f"<{b.hexs(16)}@{c.domain}>"}
    if b.coin(0.6):
        o["To"] = f"{b.name(p, 'full')} <{b.email(p)}>" if b.coin() else b.email(p)
    else:
        o["To"] = f"undisclosed-recipients:;"
        b.no(EMAIL)
    o["Received"] = f"from mx.{c.domain} ({b.ip_public() if b.coin(0.3) else b.ip_nonpersonal()})"
    if NAME not in b.labels:
        b.no(NAME)
    return o


@fam("j_test_fixtures", "json", absent=(NAME, COND, MED, ADDRESS, DOB, RELIGION, GEO))
def _f(b: B):
    b.no(CARD, SSN, EMAIL, PHONE, IBAN)
    return {b.k("fixtures"): {b.k("visa ok"): b.test_card(), b.k("bad luhn"): b.card_luhn_fail(""), b.k("ssn invalid"): b.ssn_shaped(),
                              b.k("email"): b.placeholder_email(), b.k("phone"): b.phone_fictional(), b.k("iban"): b.iban_invalid()},
            b.k("note"): "synthetic values only"}


@fam("j_store_locations", "json", absent=(NAME, DOB, SSN, COND, MED, AGE, PASSPORT))
def _f(b: B):
    b.no(ADDRESS, PHONE, GEO, EMAIL, POSTAL)
    stores = []
    for _ in range(b.ri(1, 3)):
        g, _w = b.geo_nonpersonal()
        stores.append({b.k("name"): f"{b.lookalike('place')} store", b.k("address"): b.business_address(),
                       b.k("phone"): b.phone_switchboard(), b.k("coords"): g, b.k("email"): b.role_email()})
    return {b.k("stores"): stores}


@fam("j_audit_trail", "json", absent=(COND, MED, SALARY, DOB, PASSPORT, SSN, RELIGION))
def _f(b: B):
    p = b.person()
    human = b.coin(0.6)
    o = {b.k("action"): b.pick(["record.exported", "user.deleted", "role.granted", "report.viewed"]), b.k("at"): b.ts(),
         b.k("actor"): b.email(p) if human else b.pick(["system", "scheduler", b.system_user()]),
         b.k("actor ip"): b.ip_public() if human and b.coin(0.6) else b.ip_nonpersonal(),
         b.k("target"): f"{b.pick(['customer', 'invoice', 'report'])}/{b.ri(1, 99999)}"}
    if not human:
        b.no(EMAIL, USER)
    return o


@fam("j_travel_reservation", "json", absent=(SSN, CARD, MRN, COND, SALARY, MAC, IP))
def _f(b: B):
    p = b.person()
    o = {b.k("pnr"): b.letters(6), b.k("flight"): f"{b.letters(2)}{b.ri(10, 9999)}", b.k("departure"): b.other_date(2),
         b.k("from"): b.lookalike("place"), b.k("to"): b.lookalike("place")}
    if b.coin(0.65):
        pax = {b.k("name"): b.name(p, "upper")}
        if b.coin():
            pax[b.k("passport")] = b.passport()
        if b.coin(0.5):
            pax[b.k("dob")] = b.dob(p, 2)
        if b.coin(0.3):
            pax[b.k("nationality")] = b.val(NATION, b.pick(NATIONALITIES))
        o[b.k("passenger")] = pax
    else:
        o[b.k("passenger")] = {b.k("name"): b.placeholder_name(), b.k("passport"): b.passport_specimen()}
    return o


@fam("j_feature_flags", "json", absent=(NAME, EMAIL, PHONE, DOB, SSN, COND, AGE, GENDER, ADDRESS, SALARY))
def _f(b: B):
    b.no(IP, USER, DEVICE)
    return {b.k("flags"): {b.k("new checkout"): b.coin(), b.k("beta search"): b.coin()},
            b.k("allowlist ips"): [b.ip_nonpersonal() for _ in range(2)], b.k("test devices"): [b.device_nonpersonal()],
            b.k("owner"): b.system_user(), b.k("updated"): b.other_date(2)}


@fam("j_emergency_contacts", "json", absent=(CARD, IBAN, IP, MAC, VIN, PASSWORD, SALARY))
def _f(b: B):
    p = b.person()
    if b.coin(0.7):
        q = b.person(p.country)
        return {b.k("employee"): b.name(p), b.k("emergency contact"): {b.k("name"): b.name(q, "full"),
                b.k("relationship"): b.pick(["spouse", "mother", "brother", "friend"]), b.k("phone"): b.phone(q.country)}}
    b.no(NAME, PHONE)
    return {b.k("employee"): None, b.k("emergency contact"): {b.k("name"): "", b.k("relationship"): "", b.k("phone"): b.phone_fictional()},
            b.k("help"): "Add a contact we can call in an emergency."}


@fam("j_subscription_billing", "json", absent=(COND, MED, MAC, VIN, MRN, RELIGION, SSN))
def _f(b: B):
    p = b.person()
    o = {b.k("plan"): b.pick(["basic", "pro", "family"]), b.k("renews"): b.other_date(2), b.k("amount"): b.money(3, 60, "")}
    if b.coin(0.6):
        o[b.k("customer")] = b.customer_id()
        o[b.k("account number")] = b.account_number() if b.coin(0.5) else None
        o[b.k("payment method")] = b.masked_card()
        if b.coin(0.4):
            o[b.k("billing email")] = b.email(p)
    else:
        o[b.k("customer")] = None
        o[b.k("account number")] = f"{b.ri(4000, 4999)}-REVENUE"
        o[b.k("payment method")] = b.masked_card()
        b.no(CUSTID, ACCT)
    return o


@fam("j_dataset_card", "json", absent=(NAME, EMAIL, PHONE, SSN, CARD, ADDRESS, PASSPORT))
def _f(b: B):
    b.no(AGE, GENDER, DOB, POSTAL, COND, ETHNIC)
    return {"dataset": b.pick(["clinic-visits-2023", "churn-features", "loan-apps-v2"]),
            "columns": [{"name": "age_bucket", "desc": "age in 10-year buckets"}, {"name": "gender", "desc": "self-reported"},
                        {"name": "zip3", "desc": "first 3 digits of the postal code"}, {"name": "dx", "desc": "medical condition code"}],
            "rows": b.ri(1000, 900000), "k_anonymity": b.ri(5, 50), "license": "internal"}


@fam("j_web_analytics_hit", "json", absent=(NAME, SSN, CARD, DOB, COND, SALARY, PASSPORT, ADDRESS))
def _f(b: B):
    o = {"v": 2, "t": "pageview", "dp": b.pick(["/", "/pricing", "/checkout", "/blog/tips"]), "ts": b.ts()}
    if b.coin(0.55):
        o["uip"] = b.ip_public()
        if b.coin(0.5):
            o["uid"] = b.customer_id()
        if b.coin(0.3):
            o["geo"] = b.geo()
    else:
        o["uip"] = b.ip_nonpersonal()
        o["aip"] = 1
    o["ua"] = b.pick(["Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (Linux; Android 14)"])
    return o


@fam("j_password_vault_export", "json", absent=(SSN, COND, MED, DOB, SALARY, RELIGION, VIN))
def _f(b: B):
    items = []
    for _ in range(b.ri(1, 3)):
        if b.coin(0.55):
            q = b.person()
            items.append({"site": b.pick(["mail", "bank", "shop", "forum"]) + "." + b.company().domain,
                          "login": b.email(q) if b.coin() else b.username(q), "password": b.password()})
        else:
            items.append({"site": "example.com", "login": b.placeholder_email(), "password": b.password_placeholder()})
    b.no(USER, EMAIL, PASSWORD)
    return {"format": "csv-import", "items": items}


@fam("j_game_leaderboard", "json", absent=(SSN, CARD, MRN, COND, SALARY, PASSPORT, ADDRESS))
def _f(b: B):
    rows = []
    for i in range(b.ri(2, 4)):
        if b.coin(0.5):
            q = b.person()
            row = {"rank": i + 1, "player": b.username(q), "score": b.ri(100, 99999)}
            if b.coin(0.3):
                row["age"] = int(b.age(q))
            if b.coin(0.3):
                row["country"] = b.val(NATION, b.pick(NATIONALITIES))
        else:
            row = {"rank": i + 1, "player": b.pick(["CPU_Easy", "BOT-7", "guest", "AI opponent"]), "score": b.ri(100, 99999)}
        rows.append(row)
    b.no(USER)
    return {"season": b.ri(1, 20), "leaderboard": rows}


@fam("j_clinic_appointment", "json", absent=(CARD, IBAN, IP, MAC, VIN, SALARY, PASSWORD, POLIT))
def _f(b: B):
    p = b.person()
    o = {b.k("slot"): f"{b.other_date(2)}T{b.ri(8, 17):02d}:{b.pick(['00', '30'])}", b.k("clinic"): b.company("health").short,
         b.k("clinic fax"): b.phone_switchboard(t=FAX)}
    if b.coin(0.65):
        o[b.k("patient")] = b.name(p)
        if b.coin():
            o[b.k("reason")] = f"follow-up {b.condition()}"
        if b.coin(0.4):
            o[b.k("mrn")] = b.mrn()
        if b.coin(0.3):
            o[b.k("referring fax")] = b.fax(p.country)
    else:
        o[b.k("patient")] = None
        o[b.k("reason")] = "blocked for staff training"
        b.no(NAME, COND, MRN)
    return o


# ----------------------------------------------- more finance / identity --
@fam("credit_application", "text", absent=(MAC, IP, VIN, COND, MED, ORIENT, RELIGION, GEO))
def _f(b: B):
    p = b.person("US")
    if b.coin(0.7):
        lines = [f"Credit application #{b.digits(8)}", f"Applicant: {b.name(p, b.pick(['full', 'middle']))}"]
        for f in b.sample(["ssn", "dob", "addr", "inc", "phone", "fax", "emp"], b.ri(3, 5)):
            if f == "ssn":
                lines.append(f"SSN: {b.ssn()}")
            elif f == "dob":
                lines.append(f"Date of birth: {b.dob(p)}")
            elif f == "addr":
                lines.append(f"Residence: {b.home_address(p)} ({b.ri(1, 15)} yrs)")
            elif f == "inc":
                lines.append(f"Annual income: {b.salary()}")
            elif f == "phone":
                lines.append(f"Home phone: {b.phone('US')}")
            elif f == "fax":
                lines.append(f"Fax (optional): {b.fax('US')}")
            else:
                lines.append(f"Employer: {b.employer()} — {b.val(JOB, b.pick(JOB_TITLES))}")
        return "\n".join(lines)
    b.no(NAME, SSN, DOB, SALARY, FAX)
    return (f"How to apply: bring a photo ID and your SSN (format {b.ssn_shaped()}). Minimum income {b.money(20000, 40000, '$')[:-3]}. "
            f"Applicants must be 18+. Fax completed forms to {b.phone_tollfree('US', t=FAX)}. Last updated {b.other_date(3)}.")


@fam("background_check", "text", absent=(MAC, IP, CARD, COND, MED, ORIENT, RELIGION, GEO))
def _f(b: B):
    p = b.person("US")
    if b.coin(0.65):
        lines = [f"BACKGROUND REPORT — order {b.letters(2)}{b.digits(7)}", f"Subject: {b.name(p, 'upper')}"]
        lines.append(f"SSN: {b.ssn()}" if b.coin(0.6) else f"SSN: ***-**-{b.digits(4)} (masked)")
        if b.coin():
            lines.append(f"DOB: {b.dob(p)}")
        if b.coin(0.5):
            lines.append(f"DL: {b.drivers_license()}")
        if b.coin(0.4):
            lines.append(f"Address history: {b.home_address(p)}; {b.home_address(p)}")
        lines.append(f"Criminal records: {b.pick(['none found', '1 misdemeanor (dismissed)', 'pending county search'])}")
        return "\n".join(lines)
    b.no(NAME, SSN, DOB, DL)
    return (f"Package pricing: SSN trace {b.money(5, 15, '$')}, county criminal {b.money(10, 30, '$')}, MVR (driver's license record) {b.money(5, 20, '$')}. "
            f"Sample report uses subject {b.placeholder_name()}, SSN {b.ssn_shaped()}, DL {b.dl_specimen()}.")


@fam("i9_onboarding", "text", absent=(MAC, IP, CARD, COND, MED, ORIENT, GEO, IBAN))
def _f(b: B):
    p = b.person("US")
    if b.coin(0.65):
        lines = [f"New hire checklist — {b.name(p)}", f"Start date: {b.other_date(3)}"]
        if b.coin():
            lines.append(f"SSN: {b.ssn()}")
        k = b.ri(0, 2)
        if k == 0:
            lines.append(f"List A: US passport {b.passport('US')}, exp {b.other_date()}")
        elif k == 1:
            lines.append(f"List B: driver's license {b.drivers_license(b.pick(['CA_US', 'NY', 'FL', 'TX', 'IL']))}; List C: SS card")
        else:
            lines.append(f"Citizenship: {b.val(NATION, b.pick(NATIONALITIES))}, work permit pending")
        if b.coin(0.4):
            lines.append(f"Employee ID assigned: {b.employee_id()}")
        return "\n".join(lines)
    b.no(NAME, SSN, PASSPORT, DL, NATION, EMPID)
    return ("Form I-9 reminder: new hires must present one List A document (e.g. a passport) or a List B (driver's license) plus List C "
            f"(Social Security card). Do not photocopy SSNs into tickets. Employee IDs use the format E######. Questions: {b.role_email()}")


@fam("phone_order_note", "text", absent=(MAC, IP, COND, MED, ORIENT, RELIGION, VIN, MRN))
def _f(b: B):
    p = b.person()
    lines = [f"Phone order taken {b.ts()} by agent {b.digits(4)}"]
    named = b.coin(0.6)
    if named:
        lines.append(f"Caller: {b.name(p)}, cb {b.phone(p.country)}" if b.coin() else f"Caller: {b.name(p)}")
    else:
        b.no(NAME)
        lines.append("Caller: declined to give name (guest checkout)")
    if b.coin(0.65):
        lines.append(f"Card read over phone: {b.card()} exp {b.ri(1, 12):02d}/{b.ri(25, 31)} cvv {b.digits(3)}")
    else:
        lines.append(f"Paid with saved card {b.masked_card()} (token tok_{b.hexs(12)})")
    if b.coin(0.4):
        lines.append(f"Deliver to: {b.home_address(p)}")
    lines.append(f"Order #{b.card_luhn_fail('')} total {b.money(10, 500)}")
    return "\n".join(lines)


@fam("hotel_reservation", "text", absent=(SSN, MRN, COND, MAC, IP, VIN, SALARY, NATID, HINS))
def _f(b: B):
    p, c = b.person(), b.company("travel")
    lines = [f"{c.short.split()[0]} Hotels — reservation {b.letters(2)}{b.digits(6)}",
             f"Arrival {b.other_date(4)} · {b.ri(1, 9)} night(s) · {b.pick(['King', 'Twin', 'Suite'])}"]
    if b.coin(0.65):
        lines.append(f"Guest: {b.name(p, b.pick(['full', 'lastfirst']))}")
        if b.coin():
            lines.append(f"Guarantee: {b.pick(['Visa', 'Mastercard', 'card'])} {b.card()} exp {b.ri(1, 12):02d}/{b.ri(25, 31)}")
        else:
            lines.append(f"Guarantee: card {b.masked_card()}")
        if b.coin(0.4):
            lines.append(f"Contact: {b.phone(p.country)} / {b.email(p)}")
    else:
        b.no(NAME, CARD)
        lines.append(f"Group block for {b.company().name}; rooming list to follow. Deposit card {b.test_card()} (test environment)")
    lines.append(f"Front desk: {b.phone_switchboard()}")
    return "\n".join(lines)


@fam("utility_bill", "text", absent=(SSN, MRN, COND, MED, MAC, IP, VIN, ORIENT))
def _f(b: B):
    p, c = b.person(), b.company("utility")
    lines = [f"{c.short} — {b.pick(['Electricity', 'Gas', 'Water', 'Broadband'])} bill, {b.other_date(3)}"]
    if b.coin(0.65):
        lines.append(f"Account holder: {b.name(p)}")
        lines.append(f"Account number: {b.account_number()}")
        if b.coin():
            lines.append(f"Supply address: {b.home_address(p)}")
        if b.coin(0.4):
            lines.append(f"Customer ref: {b.customer_id()}")
    else:
        b.no(NAME, ACCT, CUSTID)
        lines.append(f"Sample bill — account number {b.pick(['0000000000', 'XXXX-XXXX-XXX', '1234567890'])} shown for illustration")
    lines.append(f"Amount due {b.money(20, 300)} by {b.other_date(3)}. Pay to {b.company_iban()} or call {b.phone_tollfree()}.")
    return "\n".join(lines)


@fam("bank_statement", "text", absent=(MRN, COND, MED, MAC, IP, VIN, ORIENT, RELIGION))
def _f(b: B):
    p = b.person()
    s0, s1 = b.date_pair(31, 3)
    lines = [f"{b.company('finance').name} — statement {s0} to {s1}"]
    if b.coin(0.65):
        lines.append(f"{b.name(p, b.pick(['full', 'upper']))}\n{b.home_address(p)}" if b.coin() else b.name(p))
        lines.append(f"Account {b.account_number()}" if b.coin() else f"IBAN {b.iban()}")
        if b.coin(0.3):
            lines.append(f"Bank details: {b.bank_account()}")
    else:
        b.no(NAME, ACCT, IBAN, BANK)
        lines.append(f"Bank's own account for incoming SWIFT: {b.company_iban()}")
    for _ in range(b.ri(2, 4)):
        lines.append(f"  {b.other_date(2)}  {b.pick(['CARD PURCHASE', 'DIRECT DEBIT', 'SALARY', 'ATM'])} {b.lookalike('food') if b.coin(0.3) else b.company().short}  {b.money(2, 900)}")
    return "\n".join(lines)


@fam("eeo_self_id", "text", absent=(CARD, IBAN, IP, MAC, VIN, PASSWORD, SSN))
def _f(b: B):
    p = b.person("US")
    if b.coin(0.65):
        lines = [f"Voluntary self-identification — candidate {b.name(p)} (req {b.digits(5)})"]
        for f in b.sample(["gen", "eth", "ori", "age"], b.ri(2, 3)):
            if f == "gen":
                lines.append(f"Gender: {b.val(GENDER, b.pick(GENDERS))}")
            elif f == "eth":
                lines.append(f"Race/ethnicity: {b.val(ETHNIC, b.pick(ETHNICITIES))}")
            elif f == "ori":
                lines.append(f"Sexual orientation: {b.val(ORIENT, b.pick(ORIENTATIONS))}")
            else:
                lines.append(f"Age: {b.age(p)}")
        lines.append(f"Veteran: {b.pick(['yes', 'no', 'prefer not to say'])}")
        return "\n".join(lines)
    b.no(GENDER, ETHNIC, ORIENT, AGE, NAME)
    return (f"Voluntary self-identification (blank, req {b.digits(5)})\nGender: [ ] female [ ] male [ ] non-binary [ ] decline\n"
            "Race/ethnicity: [ ] Hispanic or Latino [ ] Black [ ] Asian [ ] White [ ] Two or more [ ] decline\n"
            "Completing this form is optional and does not affect your application.")


@fam("author_bio", "text", absent=(SSN, CARD, MRN, COND, IBAN, VIN, PASSWORD, DOB))
def _f(b: B):
    p, c = b.person(), b.company()
    if b.coin(0.65):
        s = f"About the author: {b.name(p)} is a {b.val(JOB, b.pick(JOB_TITLES).lower())} at {b.employer(c)}."
        if b.coin():
            s += f" Portfolio: {b.personal_url(p)}"
        if b.coin(0.4):
            s += f" Say hi: {b.email(p)}"
        return s + f"\n\n{b.pick(['Views are my own.', 'This post first appeared on my blog.', ''])}"
    b.no(NAME, URL, JOB, EMPLOYER)
    return (f"Published by the {c.short} editorial team. More at {b.company_url(c)}. Press enquiries: {b.role_email(c)}. "
            f"Photo: {b.lookalike('place')} at dawn.")


@fam("rental_contract_eu", "text", absent=(CARD, MRN, COND, MED, MAC, IP, VIN, ORIENT))
def _f(b: B):
    country = b.pick(["ES", "NL", "IT", "PL", "SE"])
    p = b.person(country)
    if b.coin(0.65):
        nid, kind = b.national_id(country)
        lines = [b.pick(["CONTRATO DE ARRENDAMIENTO", "HUUROVEREENKOMST", "CONTRATTO DI LOCAZIONE", "UMOWA NAJMU", "HYRESAVTAL"]),
                 f"Tenant: {b.name(p, 'full')}, {kind} {nid}"]
        if b.coin():
            lines.append(f"Property: {b.home_address(p)}")
        if b.coin(0.5):
            lines.append(f"Rent paid to/from IBAN {b.iban(country if country in ('ES', 'NL', 'IT', 'PL') else None)}")
        if b.coin(0.3):
            lines.append(f"Born {b.dob(p)} in {b.val(POB, b.pick(BIRTH_PLACES))}")
        lines.append(f"Signed {b.other_date(1)}")
        return "\n".join(lines)
    b.no(NAME, NATID, ADDRESS, IBAN)
    return (f"Model lease (template)\nTenant: ____________ , ID no. {b.natid_specimen()}\nProperty: {b.placeholder_address()}\n"
            f"Deposit to landlord account {b.iban_invalid()}\nSigned at ____ on ____")


@fam("fax_cover_sheet", "text", absent=(SSN, CARD, IBAN, IP, MAC, VIN, PASSWORD))
def _f(b: B):
    p = b.person()
    c = b.company()
    lines = ["FAX", f"Date: {b.other_date()}", f"Pages: {b.ri(1, 12)}"]
    if b.coin(0.6):
        lines.append(f"From: {b.name(p)} (home office)")
        lines.append(f"Fax: {b.fax(p.country)}")
        if b.coin(0.4):
            lines.append(f"Phone: {b.phone(p.country)}")
    else:
        lines.append(f"From: {c.name}, Accounts")
        lines.append(f"Fax: {b.phone_switchboard(t=FAX)}")
        b.no(NAME)
    lines.append(f"To: {b.company().short} Records — fax {b.phone_tollfree(t=FAX)}")
    lines.append("CONFIDENTIALITY NOTICE: intended only for the named recipient.")
    return "\n".join(lines)


@fam("dmv_faq", "text", absent=(NAME, EMAIL, SSN, CARD, MRN, COND, DOB, ADDRESS))
def _f(b: B):
    b.no(DL, PLATE, VIN, AGE)
    return b.pick([
        f"FAQ: A driver's license number in this state looks like {b.dl_specimen()}. Class C covers cars; class A covers trucks. Drivers under 18 need a permit.",
        f"Plates: personalised plates like {b.plate_nonpersonal()} cost {b.money(30, 120, '$')}. A VIN has 17 characters, e.g. {b.vin_nonpersonal()} on the sample title.",
        f"Renewals open {b.other_date(3)}. Bring your current licence; numbers such as {b.dl_specimen()} on the poster are specimens.",
    ])


@fam("cuisine_menu", "text", absent=(NAME, EMAIL, SSN, CARD, DOB, MRN, ADDRESS, AGE))
def _f(b: B):
    b.no(NATION, RELIGION, POB)
    nat = b.pick(NATIONALITIES)
    return b.pick([
        f"Tonight's menu: {nat} tasting plates, halal and kosher options available. Dessert by {b.lookalike('food')}.",
        f"Product label: imported from the {nat.lower()} coast, packed {b.other_date(3)}. Not suitable for vegans.",
        f"Festival line-up: {nat} folk music, a Buddhist meditation tent and {b.lookalike('food')} food trucks.",
        f"Our {nat} chef's recipe comes from the region that is the birthplace of the dish. Open daily at {b.lookalike('place')}.",
    ])


@fam("provider_directory", "text", absent=(NAME, SSN, CARD, DOB, COND, MED, AGE))
def _f(b: B):
    b.no(HINS, PHONE, FAX, ADDRESS)
    out = [f"In-network providers — plan group {b.digits(6)}"]
    for _ in range(b.ri(2, 3)):
        c = b.company("health")
        out.append(f"• {c.name}, {b.business_address()}, tel {b.phone_switchboard()}, fax {b.phone_switchboard(t=FAX)} (payer ID {b.digits(5)})")
    if b.coin(0.35):
        p = b.person()
        out.append(f"Searched by member {b.health_ins()} on {b.other_date()}")
    return "\n".join(out)


@fam("j_citizen_registry", "json", absent=(CARD, IP, MAC, VIN, PASSWORD, SALARY, ORIENT))
def _f(b: B):
    country = b.pick(["ES", "NL", "SE", "PL", "IT", "UK", "IN"])
    p = b.person(country)
    if b.coin(0.65):
        nid, kind = b.national_id(country)
        o = {b.k("id type"): kind, b.k("id number"): nid, b.k("name"): b.name(p, "full")}
        if b.coin():
            o[b.k("date of birth")] = b.dob(p, 2)
        if b.coin(0.5):
            o[b.k("place of birth")] = b.val(POB, b.pick(BIRTH_PLACES))
        if b.coin(0.4):
            o[b.k("citizenship")] = b.val(NATION, b.pick(NATIONALITIES))
        if b.coin(0.3):
            o[b.k("civil status")] = b.val(MARITAL, b.pick(MARITAL_STATUSES))
        return o
    b.no(NATID, NAME, POB, NATION, MARITAL)
    return {b.k("registry"): b.pick(["BRP", "padrón", "Skatteverket"]), b.k("births this year"): b.ri(1000, 90000),
            b.k("pct foreign born"): b.ri(3, 30), b.k("married pct"): b.ri(30, 60), b.k("id format"): b.natid_specimen()}


@fam("j_patient_demographics", "json", absent=(CARD, IBAN, IP, MAC, VIN, PASSWORD, SALARY))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        o = {b.k("mrn"): b.mrn(), b.k("patient name"): b.name(p, "lastfirst")}
        for f in b.sample(["eth", "rel", "mar", "gen", "lang", "nat"], b.ri(2, 4)):
            if f == "eth":
                o[b.k("ethnicity")] = b.val(ETHNIC, b.pick(ETHNICITIES))
            elif f == "rel":
                o[b.k("religion")] = b.val(RELIGION, b.pick(RELIGIONS))
            elif f == "mar":
                o[b.k("marital status")] = b.val(MARITAL, b.pick(MARITAL_STATUSES))
            elif f == "gen":
                o[b.k("sex")] = b.val(GENDER, b.pick(["F", "M", "X"]))
            elif f == "lang":
                o[b.k("language")] = b.pick(["English", "Spanish", "Polish", "Tagalog"])
            else:
                o[b.k("nationality")] = b.val(NATION, b.pick(NATIONALITIES))
        return o
    b.no(MRN, NAME, ETHNIC, RELIGION, MARITAL, GENDER)
    return {b.k("report"): "inpatient census", b.k("by ethnicity"): {e: b.ri(1, 200) for e in b.sample(ETHNICITIES, 3)},
            b.k("chaplaincy requests"): {r: b.ri(0, 40) for r in b.sample(RELIGIONS, 3)}, b.k("generated"): b.other_date(2)}


@fam("j_employee_directory", "json", absent=(SSN, CARD, DOB, COND, MED, IBAN, PASSPORT))
def _f(b: B):
    c = b.company()
    rows = []
    for _ in range(b.ri(1, 3)):
        if b.coin(0.55):
            q = b.person()
            rows.append({b.k("emp id"): b.employee_id(), b.k("name"): b.name(q, "full"), b.k("title"): b.val(JOB, b.pick(JOB_TITLES)),
                         b.k("ext"): b.digits(4), b.k("mobile"): b.phone(q.country) if b.coin(0.4) else None})
        else:
            rows.append({b.k("emp id"): None, b.k("name"): "VACANT", b.k("title"): b.pick(JOB_TITLES), b.k("ext"): b.digits(4)})
    b.no(EMPID, NAME, JOB)
    return {b.k("company"): c.name, b.k("switchboard"): b.phone_switchboard(), b.k("people"): rows}


@fam("direct_deposit_form", "text", absent=(MRN, COND, MED, MAC, IP, VIN, ORIENT, GEO))
def _f(b: B):
    p = b.person(b.pick(["US", "UK", "DE", "AU"]))
    if b.coin(0.65):
        lines = ["Direct deposit authorization", f"Employee: {b.name(p)}" + (f" ({b.employee_id()})" if b.coin(0.5) else "")]
        lines.append(f"Bank details: {b.bank_account()}")
        lines.append(f"Account type: {b.pick(['checking', 'savings'])}")
        lines.append(f"Signed {b.other_date()}")
        return "\n".join(lines)
    b.no(NAME, BANK)
    return (f"Direct deposit — instructions\nEnter your routing and account number exactly as shown on a cheque. "
            f"Do not use the employer's account ({b.company_bank_account()}). Example: routing 000000000, account 0000000000.")


@fam("j_direct_deposit", "json", absent=(MRN, COND, MED, MAC, IP, VIN, ORIENT, GEO))
def _f(b: B):
    p = b.person()
    if b.coin(0.65):
        return {b.k("payee"): b.name(p), b.k("bank account"): b.bank_account(), b.k("effective"): b.other_date(2),
                b.k("split pct"): b.pick([100, 50, 80])}
    b.no(NAME, BANK)
    return {b.k("payer"): b.company().name, b.k("funding account"): b.company_bank_account(), b.k("batch"): b.digits(6),
            b.k("effective"): b.other_date(2)}


@fam("j_course_roster", "json", absent=(CARD, IBAN, IP, MAC, VIN, SALARY, PASSWORD))
def _f(b: B):
    rows = []
    for _ in range(b.ri(1, 3)):
        if b.coin(0.55):
            q = b.person()
            rows.append({b.k("student id"): b.student_id(), b.k("name"): b.name(q, "lastfirst"), b.k("grade"): b.pick(["A", "B+", "C", "incomplete"])})
        else:
            rows.append({b.k("student id"): "TBD", b.k("name"): "(seat reserved)", b.k("grade"): None})
    b.no(STUDENT, NAME)
    return {b.k("course"): f"{b.letters(3)} {b.ri(100, 499)}", b.k("term"): b.pick(["Fall 2023", "Spring 2024"]), b.k("roster"): rows}


@fam("j_rideshare_trip", "json", absent=(SSN, MRN, COND, MED, SALARY, PASSPORT, IBAN))
def _f(b: B):
    rider, driver = b.person(), b.person()
    o = {b.k("trip id"): b.hexs(12), b.k("requested"): b.ts()}
    if b.coin(0.6):
        o[b.k("rider")] = {b.k("name"): b.name(rider, "first"), b.k("phone"): b.phone(rider.country) if b.coin() else None}
        o[b.k("pickup")] = b.geo()
        o[b.k("driver")] = {b.k("name"): b.name(driver, "first"), b.k("plate"): b.plate()}
        o[b.k("fare")] = b.money(5, 80, "")
    else:
        g, where = b.geo_nonpersonal()
        o[b.k("rider")] = None
        o[b.k("pickup")] = g
        o[b.k("note")] = f"surge zone test around {where}"
        b.no(NAME, PHONE, PLATE)
    return o


@fam("j_crash_report", "json", absent=(SSN, CARD, COND, MED, SALARY, DOB, PASSPORT))
def _f(b: B):
    o = {b.k("exception"): b.pick(["NullPointerException", "EXC_BAD_ACCESS", "OutOfMemoryError"]), b.k("app"): f"{b.ri(1, 9)}.{b.ri(0, 40)}",
         b.k("os"): b.pick(["Android 14", "iOS 17.4"]), b.k("ts"): b.ts()}
    if b.coin(0.6):
        p = b.person()
        o[b.k("device id")] = b.device_id()
        if b.coin(0.5):
            o[b.k("user")] = b.email(p)
        if b.coin(0.4):
            o[b.k("client ip")] = b.ip_public()
    else:
        o[b.k("device id")] = b.device_nonpersonal()
        o[b.k("user")] = None
        o[b.k("client ip")] = b.ip_nonpersonal()
        b.no(EMAIL)
    return o


@fam("j_cart_abandonment", "json", absent=(SSN, MRN, COND, MED, PASSPORT, VIN, RELIGION))
def _f(b: B):
    p = b.person()
    o = {b.k("cart id"): b.hexs(10), b.k("value"): b.money(10, 900, ""), b.k("items"): b.ri(1, 9), b.k("abandoned at"): b.ts()}
    if b.coin(0.6):
        o[b.k("email")] = b.email(p)
        if b.coin(0.5):
            o[b.k("customer id")] = b.customer_id()
        if b.coin(0.3):
            o[b.k("first name")] = b.first(p)
    else:
        o[b.k("email")] = None
        o[b.k("customer id")] = "guest"
        o[b.k("reminder from")] = b.role_email()
        b.no(EMAIL, CUSTID)
    return o


@fam("j_marketing_segment", "json", absent=(NAME, EMAIL, PHONE, SSN, DOB, ADDRESS, CARD))
def _f(b: B):
    b.no(AGE, GENDER, POSTAL, SALARY, MARITAL)
    return {b.k("segment"): b.pick(["young families", "urban renters", "retirees"]), b.k("age range"): [b.ri(18, 40), b.ri(41, 80)],
            b.k("genders"): ["female", "male", "non-binary"], b.k("postal prefixes"): [b.business_postcode()[:3] for _ in range(2)],
            b.k("income band"): f"{b.ri(30, 60)}k-{b.ri(61, 120)}k", b.k("marital status"): b.pick(["married", "single", "any"]),
            b.k("size"): b.ri(1000, 900000)}


@fam("j_notification_prefs", "json", absent=(SSN, MRN, COND, CARD, PASSPORT, VIN, SALARY))
def _f(b: B):
    p = b.person()
    o = {b.k("quiet hours"): [f"{b.ri(20, 23)}:00", f"0{b.ri(6, 8)}:00"], b.k("channels"): b.sample(["sms", "email", "push"], 2)}
    if b.coin(0.6):
        if b.coin():
            o[b.k("sms number")] = b.phone(p.country)
        else:
            o[b.k("email")] = b.email(p)
        if b.coin(0.3):
            o[b.k("push token device")] = b.device_id()
    else:
        o[b.k("sms number")] = b.phone_fictional()
        o[b.k("email")] = b.placeholder_email()
        o[b.k("comment")] = "defaults for new accounts"
    return o


@fam("j_building_sensors", "json", absent=(NAME, EMAIL, PHONE, SSN, DOB, COND, AGE, GENDER))
def _f(b: B):
    b.no(MAC, IP, GEO, DEVICE)
    return {b.k("site"): b.lookalike("place"), b.k("sensors"): [
        {b.k("id"): b.device_nonpersonal(), b.k("mac"): b.mac_nonpersonal(), b.k("ip"): b.ip_nonpersonal(),
         b.k("temp c"): round(b.r.uniform(16, 28), 1)} for _ in range(b.ri(1, 3))], b.k("site coords"): b.geo_nonpersonal()[0]}


@fam("j_auto_claim", "json", absent=(SSN, MRN, MED, MAC, IP, PASSWORD, ORIENT))
def _f(b: B):
    p = b.person()
    o = {b.k("claim no"): b.ssn_like_id(), b.k("loss date"): b.other_date(2), b.k("type"): b.pick(["collision", "theft", "hail"])}
    if b.coin(0.65):
        o[b.k("policyholder")] = b.name(p)
        if b.coin():
            o[b.k("vehicle")] = {b.k("vin"): b.vin(), b.k("plate"): b.plate()}
        if b.coin(0.4):
            o[b.k("driver licence")] = b.drivers_license()
        if b.coin(0.3):
            o[b.k("injuries")] = b.val(COND, b.pick(["whiplash", "fractured left wrist", "concussion", "broken collarbone"]))
    else:
        o[b.k("policyholder")] = b.company().name + " (fleet policy)"
        o[b.k("vehicle")] = {b.k("vin"): b._vin_value(), b.k("unit"): f"F-{b.ri(1, 300)}"}
        b.no(NAME, VIN, DL)
    return o


@fam("j_marriage_record", "json", absent=(CARD, IBAN, IP, MAC, VIN, PASSWORD, SALARY))
def _f(b: B):
    p, q = b.person(), b.person()
    if b.coin(0.65):
        o = {b.k("party a"): b.name(p, "full"), b.k("party b"): b.name(q, "full"), b.k("status"): b.val(MARITAL, b.pick(["married", "divorced", "separated"])),
             b.k("registered"): b.other_date(2)}
        if b.coin(0.4):
            o[b.k("party a dob")] = b.dob(p, 2)
        return o
    b.no(NAME, MARITAL, DOB)
    return {b.k("form"): "marriage licence application", b.k("fields"): ["party a", "party b", "marital status", "date of birth"],
            b.k("fee"): b.money(30, 120, ""), b.k("office"): b.business_address()}
