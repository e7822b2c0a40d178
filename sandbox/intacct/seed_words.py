"""Word lists for the seeded data: realistic names plus deliberately awkward values
(apostrophes, ampersands, angle brackets, backslashes, non-ASCII, very long names)."""

from __future__ import annotations

FIRST_NAMES = (
    "Ann", "Ben", "Carla", "David", "Elena", "Frank", "Grace", "Hiro", "Ingrid", "Jamal", "Karin", "Liam",
    "Maya", "Noah", "Olivia", "Pedro", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wei", "Xavier",
    "Yara", "Zack", "José", "Zoë", "Łukasz", "Øyvind", "François", "Siobhán", "D'Arcy", "Renée",
)  # fmt: skip

LAST_NAMES = (
    "Lee", "Smith", "Garcia", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Young",
    "O'Brien", "O'Neil", "D'Angelo", "Müller", "Nguyễn", "Østergaard", "Šimek", "Fernández", "Kowalski",
    "Tanaka", "van der Berg", "MacDonald-Smythe",
)  # fmt: skip

COMPANY_WORDS = (
    "Acme", "Summit", "Pioneer", "Harbor", "Granite", "Evergreen", "Northwind", "Bluebird", "Redwood",
    "Silverline", "Keystone", "Lakeside", "Meridian", "Ironclad", "Sunrise", "Oakridge", "Crescent",
    "Falcon", "Horizon", "Juniper", "Cobalt", "Prairie", "Quantum", "Riverbend", "Sterling", "Trident",
)  # fmt: skip

VENDOR_TRADES = (
    "Supplies", "Logistics", "Office Products", "Consulting", "Freight", "Software", "Packaging",
    "Electrical", "Catering", "Print Shop", "Janitorial", "Staffing", "Hardware", "Analytics", "Media",
)  # fmt: skip

CUSTOMER_TRADES = (
    "Retail", "Health", "Foods", "Motors", "Outfitters", "Studios", "Labs", "Ventures", "Markets",
    "Pharmacy", "Builders", "Apparel", "Hotels", "Dental", "Fitness",
)  # fmt: skip

SUFFIXES = ("Inc.", "LLC", "Ltd", "Co.", "Corp.", "GmbH", "S.A.", "Group", "")

# Placed at fixed vendor positions so even small seeds contain them (see seed.py).
TRICKY_VENDOR_NAMES = (
    "O'Brien & Sons Hardware",
    "Müller Präzisionstechnik GmbH",
    'Barnes & Noble "Books" <Wholesale>',
    "Société Générale d'Équipement",
    "株式会社山田商事",
    "Path\\Finder Logistics",
    "Zoë's Café & Bäckerei",
    ("The Extraordinarily Long-Named International Consolidated Widget Manufacturing and Distribution Company"),
)

STREETS = ("Main St", "Oak Ave", "Market St", "Elm Rd", "Harbor Blvd", "Mill Ln", "Station Rd", "Königstraße")

CITIES = (
    ("Springfield", "IL", "62701", "United States"),
    ("Portland", "OR", "97201", "United States"),
    ("Austin", "TX", "73301", "United States"),
    ("Boston", "MA", "02108", "United States"),
    ("Toronto", "ON", "M5H 2N2", "Canada"),
    ("London", "", "EC1A 1BB", "United Kingdom"),
    ("München", "BY", "80331", "Germany"),
    ("Lyon", "", "69001", "France"),
    ("Osaka", "", "530-0001", "Japan"),
)  # fmt: skip

TERMS = ("N30", "N15", "N45", "N60", "Due on receipt")
CURRENCIES = ("USD", "USD", "USD", "USD", "USD", "EUR", "GBP", "CAD")
VENDOR_TYPES = ("Supplier", "Contractor", "Service Provider", "Utility", "")
CUSTOMER_TYPES = ("Direct", "Distributor", "Reseller", "")

# (ACCOUNTNO, TITLE, ACCOUNTTYPE, NORMALBALANCE, CATEGORY)
GL_ACCOUNTS = (
    ("1000", "Cash", "balancesheet", "debit", "Cash and Cash Equivalents"),
    ("1100", "Accounts Receivable", "balancesheet", "debit", "Accounts Receivable"),
    ("1200", "Inventory", "balancesheet", "debit", "Inventory"),
    ("1500", "Fixed Assets", "balancesheet", "debit", "Fixed Assets"),
    ("2000", "Accounts Payable", "balancesheet", "credit", "Accounts Payable"),
    ("2100", "Accrued Liabilities", "balancesheet", "credit", "Accrued Liabilities"),
    ("2200", "Sales Tax Payable", "balancesheet", "credit", "Other Current Liabilities"),
    ("3000", "Retained Earnings", "balancesheet", "credit", "Retained Earnings"),
    ("4000", "Product Revenue", "incomestatement", "credit", "Revenue"),
    ("4100", "Services Revenue", "incomestatement", "credit", "Revenue"),
    ("5000", "Cost of Goods Sold", "incomestatement", "debit", "Cost of Sales"),
    ("6000", "Consulting", "incomestatement", "debit", "Professional Services"),
    ("6100", "Software Subscriptions", "incomestatement", "debit", "Software"),
    ("6200", "Office Supplies", "incomestatement", "debit", "Office Expenses"),
    ("6300", "Travel", "incomestatement", "debit", "Travel"),
    ("6400", "Marketing & Advertising", "incomestatement", "debit", "Marketing"),
    ("6500", "Rent", "incomestatement", "debit", "Occupancy"),
    ("6600", "Utilities", "incomestatement", "debit", "Occupancy"),
    ("6700", "Shipping & Freight", "incomestatement", "debit", "Cost of Sales"),
    ("6800", "Legal & Professional Fees", "incomestatement", "debit", "Professional Services"),
    ("6900", "Repairs & Maintenance", "incomestatement", "debit", "Office Expenses"),
    ("7000", "Bank Fees", "incomestatement", "debit", "Other Expenses"),
    ("7100", "Insurance", "incomestatement", "debit", "Other Expenses"),
    ("7200", "Meals & Entertainment", "incomestatement", "debit", "Travel"),
    ("8000", "Interest Expense", "incomestatement", "debit", "Other Expenses"),
)

EXPENSE_ACCOUNTS = ("5000", "6000", "6100", "6200", "6300", "6400", "6500", "6600", "6700", "6800", "6900")

# (DEPARTMENTID, TITLE, PARENTID)
DEPARTMENTS = (
    ("10", "Administration", ""),
    ("20", "Sales", ""),
    ("21", "Inside Sales", "20"),
    ("30", "Marketing", ""),
    ("40", "Engineering", ""),
    ("41", "R&D", "40"),
    ("50", "Operations", ""),
    ("60", "Finance & Accounting", "10"),
)

# (LOCATIONID, NAME, PARENTID, CURRENCY)
LOCATIONS = (
    ("100", "Headquarters", "", "USD"),
    ("110", "US-East", "100", "USD"),
    ("120", "US-West", "100", "USD"),
    ("200", "Europe", "", "EUR"),
    ("210", "München", "200", "EUR"),
    ("300", "United Kingdom", "", "GBP"),
)

# (CLASSID, NAME, DESCRIPTION)
CLASSES = (
    ("C1", "Retail", "Retail customers"),
    ("C2", "Wholesale", "Wholesale & distribution"),
    ("C3", "Online", "E-commerce channel"),
    ("C4", "Government", "Public sector"),
    ("C5", "Internal", "Internal projects"),
)

PROJECT_CATEGORIES = ("Contract", "Internal Billable", "Internal Non-billable", "Capitalized")
PAYMENT_METHODS = ("Printed Check", "ACH", "EFT", "Credit Card")

# (ITEMID, NAME, ITEMTYPE, UNIT, STANDARD_COST) — what purchase order lines can order (the last is inactive).
ITEMS = (
    ("ITM-100", "Widget", "Inventory", "Each", "9.95"),
    ("ITM-200", "Gadget & Gizmo", "Inventory", "Each", "24.50"),
    ("ITM-300", "Copy paper, A4", "Non-Inventory", "Box", "31.00"),
    ("ITM-400", "Installation service", "Non-Inventory", "Hour", "85.00"),
    ("ITM-500", "Spare parts kit", "Kit", "Each", "140.00"),
    ("COMMERCE-ITEM", "Adobe Commerce product", "Non-Inventory", "Each", "0.00"),  # a default for store SKUs
    ("ITM-900", "Discontinued part", "Inventory", "Each", "3.10"),
)
