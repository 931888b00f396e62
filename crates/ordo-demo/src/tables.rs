//! The demo catalogue: statuses, products, places, people, payment and shipping methods.

use ordo_model::{ActionTypeCode, Kind};

/// The status dictionary the demo documents use: (kind, status id, status name).
pub const STATUSES: &[(Kind, &str, &str)] = &[
    (Kind::Quote, QUOTE_SENT.0, QUOTE_SENT.1),
    (Kind::Quote, QUOTE_ACCEPTED.0, QUOTE_ACCEPTED.1),
    (Kind::Quote, QUOTE_EXPIRED.0, QUOTE_EXPIRED.1),
    (Kind::Quote, QUOTE_DECLINED.0, QUOTE_DECLINED.1),
    (Kind::Order, NEW_ORDER.0, NEW_ORDER.1),
    (Kind::Order, AWAITING_PAYMENT.0, AWAITING_PAYMENT.1),
    (Kind::Order, PROCESSING.0, PROCESSING.1),
    (Kind::Order, BACKORDERED.0, BACKORDERED.1),
    (Kind::Order, SHIPPED_PAID.0, SHIPPED_PAID.1),
    (Kind::Order, SHIPPED_UNPAID.0, SHIPPED_UNPAID.1),
    (Kind::Order, CANCELLED.0, CANCELLED.1),
    (Kind::Order, DELIVERED.0, DELIVERED.1),
    (Kind::Return, RMA_RECEIVED.0, RMA_RECEIVED.1),
    (Kind::Return, RMA_REQUESTED.0, RMA_REQUESTED.1),
    (Kind::Return, RMA_COMPLETED.0, RMA_COMPLETED.1),
    (Kind::Return, RMA_DENIED.0, RMA_DENIED.1),
    (Kind::VendorQuote, VQ_REQUESTED.0, VQ_REQUESTED.1),
    (Kind::VendorQuote, VQ_RECEIVED.0, VQ_RECEIVED.1),
    (Kind::VendorQuote, VQ_ACCEPTED.0, VQ_ACCEPTED.1),
    (Kind::VendorOrder, PO_SENT.0, PO_SENT.1),
    (Kind::VendorOrder, PO_CONFIRMED.0, PO_CONFIRMED.1),
    (Kind::VendorOrder, PO_SHIPPED.0, PO_SHIPPED.1),
    (Kind::VendorOrder, PO_RECEIVED.0, PO_RECEIVED.1),
    (Kind::VendorOrder, PO_CANCELLED.0, PO_CANCELLED.1),
    (Kind::VendorReturn, VRMA_REQUESTED.0, VRMA_REQUESTED.1),
    (Kind::VendorReturn, VRMA_SHIPPED.0, VRMA_SHIPPED.1),
    (Kind::VendorReturn, VRMA_CREDITED.0, VRMA_CREDITED.1),
];

pub(super) type Status = (&'static str, &'static str);

// One dictionary for all kinds, as the reference examples share one id space ("5", "7", "11",
// "64"): an id names one status whatever the kind.
pub(super) const QUOTE_SENT: Status = ("2", "Quote Sent");
pub(super) const QUOTE_ACCEPTED: Status = ("3", "Quote Accepted");
pub(super) const QUOTE_EXPIRED: Status = ("4", "Quote Expired");
pub(super) const QUOTE_DECLINED: Status = ("6", "Quote Declined");
pub(super) const NEW_ORDER: Status = ("7", "New Orders");
pub(super) const AWAITING_PAYMENT: Status = ("8", "Awaiting Payment");
pub(super) const PROCESSING: Status = ("9", "Processing");
pub(super) const BACKORDERED: Status = ("10", "Backordered");
pub(super) const SHIPPED_PAID: Status = ("11", "Shipped Orders - PAID");
pub(super) const SHIPPED_UNPAID: Status = ("12", "Shipped Orders - UNPAID");
pub(super) const CANCELLED: Status = ("13", "Cancelled Orders");
pub(super) const DELIVERED: Status = ("14", "Delivered");
pub(super) const RMA_RECEIVED: Status = ("5", "RMA Received");
pub(super) const RMA_REQUESTED: Status = ("63", "RMA Requested");
pub(super) const RMA_COMPLETED: Status = ("64", "RMA Completed and Invoiced");
pub(super) const RMA_DENIED: Status = ("65", "RMA Denied");
pub(super) const VQ_REQUESTED: Status = ("20", "Vendor Quote Requested");
pub(super) const VQ_RECEIVED: Status = ("21", "Vendor Quote Received");
pub(super) const VQ_ACCEPTED: Status = ("22", "Vendor Quote Accepted");
pub(super) const PO_SENT: Status = ("30", "PO Sent");
pub(super) const PO_CONFIRMED: Status = ("31", "PO Confirmed");
pub(super) const PO_SHIPPED: Status = ("32", "PO Shipped");
pub(super) const PO_RECEIVED: Status = ("33", "PO Received");
pub(super) const PO_CANCELLED: Status = ("34", "PO Cancelled");
pub(super) const VRMA_REQUESTED: Status = ("40", "Vendor RMA Requested");
pub(super) const VRMA_SHIPPED: Status = ("41", "Vendor RMA Shipped");
pub(super) const VRMA_CREDITED: Status = ("42", "Vendor RMA Credited");

/// 2020-01-01T00:00:00Z and 2024-12-31T23:59:59Z: the data set's history, and its "now".
pub(super) const START: i64 = 1_577_836_800;
pub(super) const END: i64 = 1_735_689_599;
pub(super) const HOUR: i64 = 3600;
pub(super) const DAY: i64 = 24 * HOUR;

pub(super) const SHOP: &str = "https://www.ordo-hardware.example";
pub(super) const STATIC: &str = "https://static.ordo-hardware.example/images";

pub(super) struct Product {
    pub(super) id: &'static str,
    pub(super) mpn: &'static str,
    pub(super) name: &'static str,
    pub(super) cents: i64,
    /// Hundredths of a pound; 0 when the catalogue does not know it.
    pub(super) weight: i64,
    pub(super) uom: Option<(&'static str, &'static str)>,
    pub(super) vendor: usize,
}

pub(super) const fn p(
    id: &'static str,
    mpn: &'static str,
    name: &'static str,
    cents: i64,
    weight: i64,
    vendor: usize,
) -> Product {
    Product {
        id,
        mpn,
        name,
        cents,
        weight,
        uom: None,
        vendor,
    }
}

pub(super) const fn pu(
    id: &'static str,
    mpn: &'static str,
    name: &'static str,
    cents: i64,
    weight: i64,
    vendor: usize,
    uom: (&'static str, &'static str),
) -> Product {
    Product {
        id,
        mpn,
        name,
        cents,
        weight,
        uom: Some(uom),
        vendor,
    }
}

pub(super) const PACK: (&str, &str) = ("PK", "Pack");
pub(super) const BOX: (&str, &str) = ("BX", "Box");
pub(super) const EACH: (&str, &str) = ("EA", "Each");

#[rustfmt::skip]
pub(super) const CATALOGUE: [Product; 52] = [
    p("3158135", "834CX-3004", "Sanibel Three-Handle Tub & Shower Faucet, Brushed Nickel", 15409, 640, 0),
    p("3158201", "HB-7120-CH", "Brantley Single-Handle Pull-Down Kitchen Faucet, Chrome", 18999, 520, 0),
    p("3158277", "HB-7121-MB", "Brantley Single-Handle Pull-Down Kitchen Faucet, Matte Black", 20999, 520, 0),
    p("3160412", "HB-4410-BN", "Avalon Widespread Bathroom Faucet, Brushed Nickel", 12850, 410, 0),
    p("3160588", "HB-2203", "Quarter-Turn Angle Stop Valve, 1/2 in. x 3/8 in.", 1149, 40, 0),
    pu("3161034", "HB-PX-1212", "PEX-A Tubing, 1/2 in. x 100 ft., Red", 5499, 560, 0, ("RL", "Roll")),
    p("3161090", "HB-ST-0750", "Brass Push-to-Connect Tee, 3/4 in.", 1689, 30, 0),
    p("3162200", "HB-TL-1600", "Comfort Height Elongated Toilet, 1.28 GPF, White", 31900, 8800, 0),
    p("3162311", "HB-WS-0040", "Wax Toilet Bowl Ring with Flange, Reinforced", 649, 60, 0),
    p("3162450", "HB-GD-0500", "Garbage Disposal, 1/2 HP, Continuous Feed", 11475, 0, 0),
    p("4102030", "KS-LV-609-US15", "Ashford Passage Door Lever, Satin Nickel", 2899, 120, 1),
    p("4102031", "KS-LV-610-US15", "Ashford Privacy Door Lever, Satin Nickel", 3299, 125, 1),
    p("4102047", "KS-DB-2210-US26D", "Grade 1 Single Cylinder Deadbolt, Satin Chrome", 7450, 180, 1),
    p("4102100", "KS-DC-4041-AL", "Heavy Duty Door Closer, Adjustable, Aluminum", 18920, 640, 1),
    pu("4102156", "KS-HG-4545-US10B", "Ball Bearing Hinge 4-1/2 in. x 4-1/2 in., Oil Rubbed Bronze (3-Pack)", 3675, 290, 1, PACK),
    p("4102190", "KS-EX-9900-SP28", "Rim Exit Device, 36 in., Sprayed Aluminum", 42500, 1100, 1),
    p("4102233", "KS-KP-1034-US32D", "Kick Plate 10 in. x 34 in., Satin Stainless Steel", 4210, 250, 1),
    p("4102290", "KS-SM-7000", "Smart Keypad Deadbolt with Wi-Fi, Matte Black", 22900, 0, 1),
    p("5203001", "CR-PL-128-SN", "Bar Pull 128 mm Center-to-Center, Satin Nickel", 489, 20, 2),
    p("5203002", "CR-PL-128-MB", "Bar Pull 128 mm Center-to-Center, Matte Black", 512, 20, 2),
    pu("5203050", "CR-KN-30-PB", "Round Cabinet Knob 1-1/4 in., Polished Brass (10-Pack)", 2799, 90, 2, PACK),
    pu("5203120", "CR-DS-22-FE", "Full-Extension Ball Bearing Drawer Slides, 22 in. (Pair)", 1895, 380, 2, ("PR", "Pair")),
    pu("5203177", "CR-HG-35-SC", "Soft-Close Concealed Cabinet Hinge, 35 mm (2-Pack)", 899, 45, 2, PACK),
    p("5203240", "CR-LS-18-WH", "Lazy Susan Two-Shelf Kidney, 18 in., White", 6450, 700, 2),
    pu("6301010", "IS-DS-8158-1M", "Drywall Screws #8 x 1-5/8 in., Coarse Thread (1 lb Box)", 899, 100, 3, BOX),
    pu("6301024", "IS-WS-1030-5", "Exterior Wood Screws #10 x 3 in., Star Drive (5 lb Box)", 3499, 500, 3, BOX),
    pu("6301090", "IS-AN-1238", "Wedge Anchor 1/2 in. x 3-3/4 in., Zinc (25-Pack)", 2349, 320, 3, PACK),
    pu("6301111", "IS-HB-3812", "Hex Bolt 3/8-16 x 2 in., Grade 5, Zinc", 36, 5, 3, EACH),
    pu("6301150", "IS-NT-0316", "Structural Connector Nails 10d x 1-1/2 in. (5 lb Box)", 2199, 500, 3, BOX),
    pu("6301190", "IS-CN-0425", "Concrete Screw Anchors 1/4 in. x 2-1/4 in. (100-Pack)", 2750, 260, 3, BOX),
    pu("6301200", "IS-TR-0372", "Threaded Rod 3/8-16 x 72 in., Zinc Plated", 1275, 230, 3, EACH),
    p("7400100", "NL-DD-20V-K", "20V Cordless Drill/Driver Kit with 2 Batteries", 14900, 720, 4),
    p("7400115", "NL-ID-20V-B", "20V Brushless Impact Driver, Tool Only", 12900, 310, 4),
    p("7400200", "NL-CS-7140", "7-1/4 in. Circular Saw, 15 Amp", 9999, 1010, 4),
    p("7400250", "NL-LV-48", "48 in. Aluminum Box Level", 5480, 300, 4),
    p("7400300", "NL-TM-25", "25 ft. Tape Measure, Magnetic Hook", 1899, 70, 4),
    pu("7400333", "NL-BS-29P", "Titanium Drill Bit Set (29-Piece)", 3995, 150, 4, ("ST", "Set")),
    p("7400401", "NL-WV-16G", "16 Gallon Wet/Dry Shop Vacuum, 6.5 HP", 13450, 2100, 4),
    p("7400450", "NL-LD-6FG", "6 ft. Fiberglass Step Ladder, 300 lb Rated", 16900, 2150, 4),
    pu("8500010", "SM-LED-A19-4", "LED A19 Bulb 60W Equivalent, Soft White (4-Pack)", 1097, 60, 5, PACK),
    p("8500044", "SM-WP-26", "LED Wall Pack 26W, 5000K, Dark Bronze", 8925, 480, 5),
    p("8500101", "SM-FM-13-BN", "13 in. Flush Mount Ceiling Light, Brushed Nickel", 5999, 350, 5),
    pu("8500160", "SM-SW-1DP", "Single-Pole Decorator Switch, White (10-Pack)", 2890, 110, 5, PACK),
    pu("8500210", "SM-OT-20TR", "20A Tamper-Resistant Duplex Outlet, White", 399, 15, 5, EACH),
    pu("8500255", "SM-WC-122-250", "12/2 NM-B Copper Wire with Ground, 250 ft.", 16487, 2300, 5, ("RL", "Roll")),
    p("8500300", "SM-MS-180", "180-Degree Motion Sensor Security Light, Twin Head", 4599, 290, 5),
    p("9600010", "BV-GL-48-BK", "Gate Latch Post Mount, Black", 1499, 80, 6),
    p("9600055", "BV-MB-1100", "Wall Mount Mailbox, Galvanized Steel, Black", 4999, 540, 6),
    pu("9600120", "BV-HN-4-ORB", "Modern House Number 4 in., Oil Rubbed Bronze", 799, 10, 6, EACH),
    pu("9600200", "BV-CA-28-12", "Construction Adhesive, Heavy Duty, 28 oz. Cartridge (12-Pack)", 6290, 2200, 6, ("CS", "Case")),
    p("9600250", "BV-SS-101-CL", "100% Silicone Sealant, Clear, 10.1 oz.", 749, 70, 6),
    pu("9600300", "BV-WS-3684-WH", "Weatherstrip Door Seal Kit, 36 in. x 84 in., White", 2399, 160, 6, ("ST", "Set")),
];

/// Suppliers of the catalogue, by [`Product::vendor`].
pub(super) const VENDORS: [(&str, &str); 7] = [
    ("2301", "Harbor Plumbing Wholesale"),
    ("2302", "Keystone Door & Lock Supply"),
    ("2305", "Cedar Row Cabinet Hardware"),
    ("2308", "Ironside Fastener Supply"),
    ("2311", "Northline Tool Distributors"),
    ("2314", "Summit Lighting Distributors"),
    ("2317", "Bayview Building Products"),
];

pub(super) const STAFF: [(&str, &str); 8] = [
    ("101", "Alena Stone"),
    ("102", "Marcus Reed"),
    ("105", "Priya Patel"),
    ("108", "Daniel Brooks"),
    ("110", "Sofia Alvarez"),
    ("114", "Kevin Walsh"),
    ("117", "Hannah Kim"),
    ("121", "Luis Ortega"),
];

pub(super) struct City {
    pub(super) name: &'static str,
    pub(super) state: &'static str,
    pub(super) zip3: &'static str,
    pub(super) area: &'static str,
    /// Sales tax in basis points.
    pub(super) tax: i64,
}

pub(super) const fn c(
    name: &'static str,
    state: &'static str,
    zip3: &'static str,
    area: &'static str,
    tax: i64,
) -> City {
    City {
        name,
        state,
        zip3,
        area,
        tax,
    }
}

#[rustfmt::skip]
pub(super) const CITIES: [City; 25] = [
    c("Delray Beach", "FL", "334", "561", 700), c("Miami", "FL", "331", "305", 700),
    c("Tampa", "FL", "336", "813", 750), c("Atlanta", "GA", "303", "404", 890),
    c("Charlotte", "NC", "282", "704", 725), c("Austin", "TX", "787", "512", 825),
    c("Houston", "TX", "770", "713", 825), c("Dallas", "TX", "752", "214", 825),
    c("Phoenix", "AZ", "850", "602", 860), c("Denver", "CO", "802", "303", 881),
    c("Portland", "OR", "972", "503", 0), c("Seattle", "WA", "981", "206", 1025),
    c("Sacramento", "CA", "958", "916", 875), c("San Diego", "CA", "921", "619", 775),
    c("Chicago", "IL", "606", "312", 1025), c("Columbus", "OH", "432", "614", 750),
    c("Nashville", "TN", "372", "615", 925), c("Boston", "MA", "021", "617", 625),
    c("Newark", "DE", "197", "302", 0), c("Manchester", "NH", "031", "603", 0),
    c("Brooklyn", "NY", "112", "718", 888), c("Philadelphia", "PA", "191", "215", 800),
    c("Minneapolis", "MN", "554", "612", 888), c("Kansas City", "MO", "641", "816", 885),
    c("Salt Lake City", "UT", "841", "801", 745),
];

#[rustfmt::skip]
pub(super) const FIRST_NAMES: [&str; 30] = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Karen",
    "Carlos", "Nancy", "Anthony", "Lisa", "Mark", "Betty", "Steven", "Sandra", "Andrew", "Ashley",
    "Joshua", "Emily",
];

#[rustfmt::skip]
pub(super) const LAST_NAMES: [&str; 30] = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez", "Lewis", "Robinson",
];

pub(super) const COMPANIES: [&str; 15] = [
    "Sunshine Builders LLC",
    "Coastal Property Management",
    "Brightline Electric Inc.",
    "Summit Renovations",
    "Oakwood Property Services",
    "Precision Plumbing Co.",
    "Evergreen Facilities",
    "Metro Door & Lock",
    "Greenfield Contractors",
    "Blue River Remodeling",
    "Northstar Maintenance",
    "Handy Hands Services",
    "Lakeside Apartments",
    "Pioneer Construction Group",
    "Riverbend Schools Facilities",
];

#[rustfmt::skip]
pub(super) const STREETS: [&str; 20] = [
    "Oak St", "Maple Ave", "Cedar Ln", "Park Blvd", "Lakeview Dr", "Sunset Rd", "Main St", "Elm St",
    "Pine Ridge Rd", "Harbor Way", "Willow Ct", "Industrial Pkwy", "Commerce Dr", "River Rd",
    "Highland Ave", "Meadow Ln", "Washington St", "Lincoln Ave", "Forest Hill Rd", "Bay St",
];

pub(super) const UNITS: [&str; 5] = ["Suite 200", "Apt 4B", "Unit 12", "Suite 105", "Bldg C"];
pub(super) const EMAIL_DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];

pub(super) const CUSTOMER_NOTES: [&str; 6] = [
    "Please call before delivery.",
    "Leave at the side door.",
    "Cut threaded rod to 36 in. lengths.",
    "Deliver to the job site trailer.",
    "Gate code 4412.",
    "Please include the packing slip.",
];

/// Notes staff write, with their action type; cancellations get their own note.
pub(super) const NOTES: [(Option<ActionTypeCode>, &str); 9] = [
    (
        Some(ActionTypeCode::PhoneCall),
        "Customer called to confirm the delivery window.",
    ),
    (
        Some(ActionTypeCode::Email),
        "Sent tracking information to the customer.",
    ),
    (
        Some(ActionTypeCode::General),
        "Verified stock with the warehouse.",
    ),
    (
        Some(ActionTypeCode::Order),
        "Split shipment: remaining items ship from the vendor.",
    ),
    (
        Some(ActionTypeCode::QuestionToSupport),
        "Customer asked about installation instructions.",
    ),
    (
        Some(ActionTypeCode::WalkIn),
        "Customer stopped by the counter to review the order.",
    ),
    (
        Some(ActionTypeCode::Fax),
        "Signed purchase order received by fax.",
    ),
    (None, "Shipping address verified."),
    (
        Some(ActionTypeCode::General),
        "Price matched per manager approval.",
    ),
];
pub(super) const CANCEL_NOTE: &str = "Customer requested cancellation before shipment.";

/// (id, code, name), as reference 000 shows a payment method.
pub(super) type Method = (&'static str, &'static str, &'static str);
pub(super) const CARD: Method = ("1", "credit-card", "Credit Card");
pub(super) const PAYPAL: Method = ("2", "paypal", "PayPal");
pub(super) const GOOGLE: Method = ("3", "google-checkout", "Google Checkout");
pub(super) const AMAZON_PAY: Method = ("4", "amazon-marketplace", "Amazon Marketplace");
pub(super) const WALMART_PAY: Method = ("5", "walmart-marketplace", "Walmart Marketplace");
pub(super) const CHECK: Method = ("6", "check", "Check");
pub(super) const NET_30: Method = ("7", "net-30", "Net 30 Terms");
pub(super) const VENDOR_CREDIT: Method = ("8", "vendor-credit", "Vendor Credit");

pub(super) const WEB: &str = "Web";
pub(super) const PHONE: &str = "Phone";
pub(super) const AMAZON: &str = "Amazon";
pub(super) const WALMART: &str = "Walmart";

/// A shipping method: customer price in cents (base plus per pound) and the carriers' services.
pub(super) struct ShipMethod {
    pub(super) name: &'static str,
    pub(super) base: i64,
    pub(super) per_lb: i64,
    pub(super) services: &'static [(&'static str, &'static str)],
}

pub(super) const GROUND: ShipMethod = ShipMethod {
    name: "Standard Ground",
    base: 689,
    per_lb: 45,
    services: &[
        ("UPS", "UPS Ground"),
        ("FedEx", "FedEx Ground"),
        ("USPS", "USPS Ground Advantage"),
    ],
};
pub(super) const FREE: ShipMethod = ShipMethod {
    name: "Free Shipping",
    base: 0,
    per_lb: 0,
    services: &[("USPS", "USPS Ground Advantage"), ("UPS", "UPS Ground")],
};
pub(super) const TWO_DAY: ShipMethod = ShipMethod {
    name: "2nd Day Air",
    base: 1899,
    per_lb: 110,
    services: &[("UPS", "UPS 2nd Day Air"), ("FedEx", "FedEx 2Day")],
};
pub(super) const NEXT_DAY: ShipMethod = ShipMethod {
    name: "Next Day Air",
    base: 3499,
    per_lb: 190,
    services: &[
        ("UPS", "UPS Next Day Air"),
        ("FedEx", "FedEx Priority Overnight"),
    ],
};
pub(super) const FREIGHT: ShipMethod = ShipMethod {
    name: "LTL Freight",
    base: 9500,
    per_lb: 40,
    services: &[("FedEx", "FedEx Freight Economy")],
};
pub(super) const VENDOR_GROUND: ShipMethod = ShipMethod {
    name: "Vendor Prepaid Ground",
    base: 0,
    per_lb: 0,
    services: &[("UPS", "UPS Ground"), ("FedEx", "FedEx Ground")],
};
pub(super) const RETURN_LABEL: ShipMethod = ShipMethod {
    name: "Return Label - Ground",
    base: 0,
    per_lb: 0,
    services: &[("UPS", "UPS Ground"), ("USPS", "USPS Ground Advantage")],
};

// Each kind counts from its own base. The ranges overlap at large sizes, which is what a real
// tenant's data looks like too and keeps every consumer honest about keying by kind and id.
pub(super) const QUOTE_BASE: u64 = 300_000;
pub(super) const ORDER_BASE: u64 = 600_000;
pub(super) const RETURN_BASE: u64 = 100_000;
pub(super) const VENDOR_QUOTE_BASE: u64 = 350_000;
pub(super) const VENDOR_ORDER_BASE: u64 = 700_000;
pub(super) const VENDOR_RETURN_BASE: u64 = 150_000;
