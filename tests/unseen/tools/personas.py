"""Invented people for the unseen-maker corpus (tests/unseen).

Every person, employer, address, phone number and e-mail here is invented. The makers in
build.py render these records with third-party tools; the labels in tests/unseen/expected are
written from these records (what a reader of the rendered resume would say), never from the
parser's output.
"""

import random

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]

# profession: (titles junior->senior, employers, bullets, skills, degrees, summary)
PROFESSIONS = {
    "recruiter": dict(
        titles=["Recruiting Coordinator", "Technical Recruiter", "Senior Talent Acquisition Partner"],
        employers=["Harborview Staffing Group", "Lumenfield Health", "Quarry Labs", "Northgate Talent Partners", "Bellwether Robotics"],
        bullets=["Ran full-cycle recruiting for 40+ engineering and product requisitions per year, from intake meeting to signed offer",
                 "Built Boolean search strings and LinkedIn Recruiter projects that cut time-to-shortlist from 12 to 5 days",
                 "Partnered with hiring managers on structured interview loops and scorecards, raising offer acceptance to 88%",
                 "Maintained Greenhouse pipelines and weekly funnel reports for the leadership team",
                 "Organised campus hiring at four universities and a paid internship programme of 25 students"],
        skills=["Full-Cycle Recruiting", "Boolean Search", "Stakeholder Management", "Greenhouse", "LinkedIn Recruiter", "Workday", "Employer Branding", "Offer Negotiation", "Interviewing", "Data Analysis (SQL, Python)"],
        degrees=[("Bachelor of Arts", "Psychology"), ("BA", "Human Resource Management")],
        summary="Talent acquisition partner who fills technical roles quickly without lowering the bar."),
    "nurse": dict(
        titles=["Staff Nurse", "Registered Nurse", "Charge Nurse"],
        employers=["St. Brendan's Hospital", "Riverside Community Clinic", "Mercy Valley Medical Center", "Oakhurst Children's Hospital"],
        bullets=["Provided direct care for up to six patients per shift on a 32-bed medical-surgical unit",
                 "Coordinated discharge planning with physicians, social workers and families",
                 "Precepted eight new graduate nurses through a twelve-week orientation",
                 "Led the unit's falls-prevention audit, reducing patient falls by 30% in one year",
                 "Documented assessments and medication administration in Epic"],
        skills=["Patient Assessment", "Medication Administration", "Epic EHR", "BLS", "ACLS", "Wound Care", "IV Therapy", "Patient Education", "Triage"],
        degrees=[("Bachelor of Science in Nursing", None), ("Associate Degree in Nursing", None)],
        summary="Registered nurse with acute-care experience and a calm hand in busy units."),
    "accountant": dict(
        titles=["Staff Accountant", "Senior Accountant", "Accounting Manager"],
        employers=["Calder & Finch LLP", "Westmoor Foods Inc.", "Pinecrest Holdings", "Aldana Logistics S.A."],
        bullets=["Closed the monthly books in four working days for three legal entities",
                 "Prepared account reconciliations, accruals and journal entries under US GAAP",
                 "Supported the annual external audit and SOX 404 testing of 60 key controls",
                 "Automated the intercompany reconciliation in Excel Power Query, saving 20 hours a month",
                 "Reviewed vendor invoices and payment runs totalling $4M per month"],
        skills=["US GAAP", "Month-End Close", "Account Reconciliation", "NetSuite", "SAP", "Excel", "Power Query", "SOX Compliance", "Financial Reporting", "Variance Analysis"],
        degrees=[("Bachelor of Science", "Accounting"), ("Master of Accountancy", None)],
        summary="CPA-track accountant focused on a fast, clean close."),
    "teacher": dict(
        titles=["Teaching Assistant", "Mathematics Teacher", "Head of Mathematics"],
        employers=["Greenfield Academy", "Lakeside High School", "Hollins Park Secondary School", "International School of Lisbon"],
        bullets=["Taught algebra, geometry and statistics to five classes of 28 students in grades 9-12",
                 "Designed a project-based statistics unit that was adopted across the district",
                 "Raised the pass rate on the state mathematics exam from 71% to 86% over two years",
                 "Mentored three student teachers and ran the after-school maths club",
                 "Used Google Classroom and Desmos for blended and remote lessons"],
        skills=["Curriculum Design", "Differentiated Instruction", "Classroom Management", "Google Classroom", "Desmos", "Assessment Design", "Student Mentoring", "Parent Communication"],
        degrees=[("Bachelor of Education", "Secondary Mathematics"), ("Master of Arts in Teaching", None)],
        summary="Mathematics teacher who makes abstract ideas concrete."),
    "mech": dict(
        titles=["Design Engineer", "Mechanical Engineer", "Senior Mechanical Engineer"],
        employers=["Vantor Aerospace", "Kestrel Pumps GmbH", "Brightline Rail Systems", "Oriel Medical Devices"],
        bullets=["Designed sheet-metal enclosures and machined brackets in SolidWorks for a pump product line",
                 "Ran FEA in ANSYS to cut bracket mass by 18% while keeping a safety factor of 2",
                 "Wrote design verification plans and led DFMEA reviews with suppliers",
                 "Released 140 drawings with GD&T to production through the PLM change process",
                 "Supported first-article inspection and root-cause analysis of field returns"],
        skills=["SolidWorks", "ANSYS", "GD&T", "DFMEA", "Finite Element Analysis", "AutoCAD", "Design for Manufacturing", "MATLAB", "Root Cause Analysis"],
        degrees=[("Bachelor of Engineering", "Mechanical Engineering"), ("MSc", "Mechanical Engineering")],
        summary="Mechanical engineer who takes parts from sketch to production."),
    "sales": dict(
        titles=["Sales Development Representative", "Account Executive", "Regional Sales Manager"],
        employers=["Clearwave Software", "Duncan Industrial Supply", "Meridian Packaging Co.", "Fjord Analytics"],
        bullets=["Closed $2.4M in new annual recurring revenue, 118% of quota",
                 "Prospected mid-market accounts through cold calling, email sequences and events",
                 "Ran discovery calls and product demonstrations for operations and finance buyers",
                 "Kept a clean Salesforce pipeline and a forecast within 5% of actuals",
                 "Coached four new representatives on the MEDDIC qualification method"],
        skills=["Salesforce", "Consultative Selling", "Pipeline Management", "Cold Calling", "MEDDIC", "Negotiation", "HubSpot", "Territory Planning", "Account Management"],
        degrees=[("Bachelor of Business Administration", "Marketing"), ("BA", "Communications")],
        summary="Quota-carrying seller with a steady record of new business."),
    "software": dict(
        titles=["Software Engineer", "Senior Software Engineer", "Staff Software Engineer"],
        employers=["Polaris Cloud", "Tessellate Inc.", "Quillbyte", "Ardent Payments", "Northwind Traders"],
        bullets=["Built a Go service that ingests 50k events per second into Kafka and ClickHouse",
                 "Introduced gRPC between internal services and an affiliate-facing REST gateway, cutting p99 latency by 40%",
                 "Led the migration of 30 services from EC2 to Kubernetes with Helm and Argo CD",
                 "Wrote the on-call runbooks and SLO dashboards in Prometheus and Grafana",
                 "Mentored five engineers and ran the weekly design review"],
        skills=["Go", "Python", "TypeScript", "Kubernetes", "Docker", "PostgreSQL", "Kafka", "AWS", "Terraform", "gRPC", "React", "CI/CD"],
        degrees=[("Bachelor of Science", "Computer Science"), ("Master of Science", "Computer Science")],
        summary="Backend engineer who builds dependable distributed systems."),
    "data": dict(
        titles=["Data Analyst", "Data Scientist", "Senior Data Scientist"],
        employers=["Lumen Retail Group", "Cobalt Insurance", "Helix Genomics", "Trailhead Mobility"],
        bullets=["Built churn models in scikit-learn and XGBoost that lifted retention campaign ROI by 22%",
                 "Designed and analysed A/B tests for pricing and onboarding with a Bayesian framework",
                 "Wrote dbt models and Airflow DAGs feeding the company's Snowflake warehouse",
                 "Presented findings to executives in Tableau dashboards and written memos",
                 "Cleaned and joined claims data of 12 million rows with pandas and SQL"],
        skills=["Python", "SQL", "pandas", "scikit-learn", "XGBoost", "A/B Testing", "Tableau", "dbt", "Airflow", "Snowflake", "Statistics", "Machine Learning"],
        degrees=[("MSc", "Statistics"), ("Bachelor of Science", "Mathematics")],
        summary="Data scientist who turns messy data into decisions."),
    "logistics": dict(
        titles=["Logistics Coordinator", "Warehouse Supervisor", "Operations Manager"],
        employers=["Redline Freight", "Cascadia Distribution Center", "Amberway Logistics", "Port City Cold Storage"],
        bullets=["Ran a 180,000 sq ft distribution centre with 65 associates across two shifts",
                 "Implemented a new WMS and slotting plan that raised pick rates by 25%",
                 "Cut inbound dock-to-stock time from 48 to 20 hours",
                 "Managed carrier relationships and freight spend of $9M a year",
                 "Kept an OSHA-recordable-free record for three consecutive years"],
        skills=["WMS Systems", "Inventory Control", "Lean Six Sigma", "Forklift Certified", "Carrier Management", "SAP", "OSHA Compliance", "KPI Reporting", "Team Leadership"],
        degrees=[("Bachelor of Science", "Supply Chain Management"), ("Associate of Applied Science", "Logistics")],
        summary="Operations leader for fast, safe warehouses."),
    "marketing": dict(
        titles=["Marketing Coordinator", "Digital Marketing Manager", "Head of Growth"],
        employers=["Brightleaf Cosmetics", "Novu Fintech", "Saltmarsh Travel", "Orbit Media Ltd"],
        bullets=["Owned paid search and social budgets of $1.2M a year at a blended CAC of $38",
                 "Launched a content programme that grew organic traffic 3x in eighteen months",
                 "Ran lifecycle email campaigns in Braze with segmented journeys and holdout tests",
                 "Built the attribution dashboard in Looker Studio from GA4 and CRM data",
                 "Managed two agencies and a freelance design team"],
        skills=["SEO", "Google Ads", "Meta Ads", "GA4", "Braze", "Content Strategy", "Marketing Automation", "Copywriting", "Looker Studio", "Stakeholder Management"],
        degrees=[("BA", "Marketing"), ("Bachelor of Commerce", None)],
        summary="Growth marketer who ties every campaign to revenue."),
    "chef": dict(
        titles=["Line Cook", "Sous Chef", "Executive Chef"],
        employers=["The Copper Kettle", "Hotel Almirante", "Saffron & Sage Bistro", "Harbour Lights Restaurant"],
        bullets=["Led a kitchen brigade of 14 serving 300 covers a night",
                 "Designed seasonal menus and cut food cost from 34% to 28%",
                 "Trained staff in HACCP and kept a five-star food hygiene rating",
                 "Negotiated with local farms and fishmongers for daily produce",
                 "Ran banqueting for events of up to 250 guests"],
        skills=["Menu Development", "Food Cost Control", "HACCP", "Kitchen Management", "Butchery", "Pastry", "Inventory Management", "Staff Training"],
        degrees=[("Diploma", "Culinary Arts"), ("Certificate", "Professional Cookery")],
        summary="Chef who runs calm, profitable kitchens."),
    "lawyer": dict(
        titles=["Paralegal", "Associate", "Senior Associate"],
        employers=["Hartwell Lane LLP", "Okonkwo & Partners", "Baxter Reyes Law Group", "Lindqvist Advokatbyrå"],
        bullets=["Drafted and negotiated SaaS, licensing and data-processing agreements",
                 "Advised growth-stage clients on GDPR and CCPA compliance programmes",
                 "Managed due diligence for twelve venture financings and two acquisitions",
                 "Supervised two paralegals and the firm's contract-review tooling",
                 "Wrote client alerts on privacy regulation read by 4,000 subscribers"],
        skills=["Contract Drafting", "Commercial Negotiation", "GDPR", "Due Diligence", "Legal Research", "Westlaw", "Corporate Governance", "Data Privacy"],
        degrees=[("Juris Doctor", None), ("Bachelor of Laws", None)],
        summary="Commercial lawyer for technology companies."),
    "pm": dict(
        titles=["Associate Product Manager", "Product Manager", "Senior Product Manager"],
        employers=["Kinetic Health", "Parcelly", "Hearthstone Home Insurance", "Brio Learning"],
        bullets=["Owned the onboarding funnel and raised activation from 31% to 47%",
                 "Wrote PRDs and ran discovery interviews with 60 customers a quarter",
                 "Prioritised a roadmap across three squads with a RICE scoring model",
                 "Launched a self-serve billing product that reached $3M ARR in its first year",
                 "Worked with design and data science on experiments and metrics"],
        skills=["Product Strategy", "Roadmapping", "User Research", "A/B Testing", "SQL", "Jira", "Figma", "Stakeholder Management", "Agile"],
        degrees=[("Bachelor of Science", "Economics"), ("MBA", None)],
        summary="Product manager who ships measurable outcomes."),
    "civil": dict(
        titles=["Graduate Engineer", "Civil Engineer", "Project Engineer"],
        employers=["Arup-Kline Consulting", "Ridgeway Infrastructure", "Tamarind Construction Pvt. Ltd.", "Coastline Water Authority"],
        bullets=["Designed stormwater and drainage networks for a 40-hectare residential development",
                 "Prepared bills of quantities and tender documents for road projects worth $15M",
                 "Supervised site works and contractor quality checks on a 2 km bridge approach",
                 "Modelled pavements and earthworks in Civil 3D",
                 "Coordinated permits with municipal authorities and utility companies"],
        skills=["AutoCAD Civil 3D", "Structural Analysis", "STAAD.Pro", "Site Supervision", "Quantity Surveying", "Project Scheduling", "Primavera P6", "Stormwater Design"],
        degrees=[("Bachelor of Technology", "Civil Engineering"), ("Master of Engineering", "Structural Engineering")],
        summary="Civil engineer for roads, drainage and bridges."),
    "designer": dict(
        titles=["Junior Designer", "Product Designer", "Lead Product Designer"],
        employers=["Moss & Ivy Studio", "Tandem Bank", "Wayfarer Maps", "Pixelgarden"],
        bullets=["Designed the mobile banking app used by 1.5 million customers",
                 "Built and maintained a Figma design system with 120 components",
                 "Ran usability tests and turned findings into prioritised design changes",
                 "Worked with engineers on accessible front-end patterns meeting WCAG 2.1 AA",
                 "Led workshops with stakeholders to define user journeys"],
        skills=["Figma", "Design Systems", "Prototyping", "Usability Testing", "Interaction Design", "Accessibility", "Adobe Illustrator", "User Research"],
        degrees=[("Bachelor of Fine Arts", "Graphic Design"), ("BA", "Interaction Design")],
        summary="Product designer who pairs research with craft."),
    "hr": dict(
        titles=["HR Assistant", "HR Business Partner", "Head of People"],
        employers=["Evergreen Credit Union", "Solace Home Care", "Brightpath Software", "Mosaic Hotels"],
        bullets=["Partnered with leaders of a 400-person business unit on workforce planning",
                 "Ran the annual performance and compensation cycle in Workday",
                 "Handled employee relations cases and investigations end to end",
                 "Rolled out a manager training programme completed by 85 managers",
                 "Reduced voluntary attrition from 19% to 12% in two years"],
        skills=["Employee Relations", "Workday", "Performance Management", "Compensation Planning", "HR Policy", "Change Management", "Coaching", "Stakeholder Management"],
        degrees=[("Bachelor of Arts", "Sociology"), ("MSc", "Human Resource Management")],
        summary="People partner for growing organisations."),
    "exec": dict(
        titles=["Director of Engineering", "Vice President of Engineering", "Chief Technology Officer"],
        employers=["Snowflake", "Crescent Bioworks", "Altitude Freight", "Vireo Energy"],
        bullets=["Grew the engineering organisation from 35 to 140 people across four countries",
                 "Set the technical strategy for the move to a multi-region cloud platform",
                 "Owned a $22M annual engineering budget and vendor portfolio",
                 "Reported to the board on security, reliability and delivery",
                 "Built the hiring, levelling and promotion framework"],
        skills=["Technical Strategy", "Organisational Design", "Budget Ownership", "Cloud Architecture", "Executive Communication", "M&A Due Diligence", "Hiring", "Board Reporting"],
        degrees=[("Master of Science", "Electrical Engineering"), ("MBA", None)],
        summary="Technology executive who scales teams and platforms."),
    "pharma": dict(
        titles=["Research Associate", "Scientist", "Senior Scientist"],
        employers=["Novagen Therapeutics", "BlueRiver Biologics", "Institut Pasteur de Lille", "Calyx Pharma"],
        bullets=["Developed and validated HPLC and LC-MS methods for small-molecule impurities",
                 "Ran cell-based potency assays under GLP",
                 "Authored method validation reports for two IND filings",
                 "Trained six associates in aseptic technique and lab safety",
                 "Managed the lab's electronic notebook roll-out in Benchling"],
        skills=["HPLC", "LC-MS", "Method Validation", "GLP", "Cell Culture", "ELISA", "Benchling", "Technical Writing"],
        degrees=[("PhD", "Analytical Chemistry"), ("Bachelor of Science", "Biochemistry")],
        summary="Analytical scientist in drug development."),
    "support": dict(
        titles=["Customer Support Agent", "Support Team Lead", "Customer Success Manager"],
        employers=["Helpwise", "Tidal Telecom", "Oakleaf Software", "Zenmart"],
        bullets=["Resolved 60 tickets a day in Zendesk with a 96% satisfaction score",
                 "Wrote 80 help-centre articles that deflected 15% of incoming tickets",
                 "Managed a book of 70 mid-market accounts with net revenue retention of 112%",
                 "Ran quarterly business reviews and renewal negotiations",
                 "Trained new agents on product and tone of voice"],
        skills=["Zendesk", "Customer Success", "Account Management", "Onboarding", "Intercom", "Gainsight", "De-escalation", "Knowledge Base Writing"],
        degrees=[("BA", "English Literature"), ("Bachelor of Business Administration", None)],
        summary="Customer-facing lead who keeps clients for years."),
    "electrician": dict(
        titles=["Apprentice Electrician", "Journeyman Electrician", "Master Electrician"],
        employers=["Volt Brothers Electric", "Summit Facilities Services", "Keystone Builders", "Harlan County School District"],
        bullets=["Installed and maintained commercial lighting, panels and motor controls",
                 "Read blueprints and wired new construction to NEC code",
                 "Troubleshot PLC-controlled equipment in a food-processing plant",
                 "Supervised a crew of four on a 60,000 sq ft school renovation",
                 "Kept lockout/tagout and arc-flash procedures on every job"],
        skills=["NEC Code", "Blueprint Reading", "Motor Controls", "PLC Troubleshooting", "Conduit Bending", "Lockout/Tagout", "Commercial Wiring", "Crew Supervision"],
        degrees=[("Associate of Applied Science", "Electrical Technology"), ("Certificate", "Electrical Apprenticeship")],
        summary="Licensed electrician for commercial and industrial work."),
}

NAMES = [
    "Amara Okafor", "Liang Wei", "Sofia Esposito", "Mateus Carvalho", "Priya Raghunathan", "Jonas Albrecht",
    "Fatima Zahra El Amrani", "Kenji Watanabe", "Olga Petrova", "Siobhan Gallagher", "Tomás Ó Briain", "Aigerim Nurlanovna",
    "Rahul Deshpande", "Chloé Dubois", "Kwame Mensah", "Ingrid Solberg", "Diego Fernández", "Hana Kim",
    "Mehmet Yılmaz", "Zanele Dlamini", "Nguyen Thi Lan", "Aleksander Nowak", "Yasmin Haddad", "Björn Eriksson",
    "Lucía Romero", "Arjun Mehta", "Emily Carter", "Marcus Johnson", "Ayşe Demir", "Takumi Sato",
    "Isabela Rocha", "Oluwaseun Adeyemi", "Anna Kowalczyk", "Rohan Kapoor", "Marie-Claire Lefebvre", "David Levi",
    "Sakura Tanaka", "Carlos Mendoza", "Elif Aydın", "Niamh Brennan", "Pedro Alves", "Yuki Nakamura",
    "Samuel Osei", "Leila Karimi", "Erik Lindqvist", "Ana-Maria Popescu", "Wanjiru Kamau", "Daniel O'Connor",
    "Mei-Ling Chen", "Thabo Nkosi", "Giulia Bianchi", "Hamza Qureshi", "Katarzyna Wiśniewska", "Lars Henriksen",
    "Valentina Cruz", "Sipho Khumalo", "Ravi Subramanian", "Elena Vasquez", "Benjamin Hart", "Noor Al-Sayed",
    "Francesca Romano", "Kofi Boateng", "Hiroshi Yamamoto", "Dana Whitfield",
    # second batch
    "Adebayo Ogunleye", "Sven Johansson", "Parisa Tehrani", "Miguel Ángel Torres", "Ji-woo Park", "Fiona MacLeod",
    "Vikram Iyer", "Nadia Benali", "Patrick Murphy", "Oksana Shevchenko", "Tariq Mahmood", "Camille Laurent",
    "Abena Asante", "Luca Ferrari", "Suda Phromthong", "Gabriel Souza", "Maya Goldberg", "Kaito Kobayashi",
    "Esperanza Morales", "Jamal Washington", "Freya Andersen", "Arash Rahimi", "Lindiwe Zulu", "Tomasz Zieliński",
    # third batch (promotions, extra sections)
    "Chinonso Eze", "Astrid Nilsson", "Rafael Dominguez", "Ngozi Okonjo", "Hyun-woo Lee", "Saoirse Kelly",
    "Mohammed Al-Rashid", "Beatriz Santos", "Dmitri Volkov", "Ama Owusu", "Joon Choi", "Clara Schmidt",
    "Ibrahim Diallo", "Rosa Jiménez", "Aarav Sharma", "Heidi Virtanen", "Emeka Nwosu", "Lucía Herrera",
]

PLACES = [
    ("Ithaca, NY", "607.{a}.{b}"), ("Austin, TX", "({c}) {a}-{b}"), ("London, UK", "+44 20 7946 {b}"),
    ("Pune, India", "+91-98765-{e}"), ("Toronto, ON", "+1 416-{a}-{b}"), ("Berlin, Germany", "+49 30 {a} {b}"),
    ("Lisbon, Portugal", "+351 912 {a} {d}"), ("Chicago, IL", "{c}-{a}-{b}"), ("Manchester, UK", "07700 900{d}"),
    ("Sydney, NSW", "+61 2 9{d} {b}"), ("Lagos, Nigeria", "+234 803 {a} {b}"), ("Seattle, WA", "(206) {a}-{b}"),
    ("Dublin, Ireland", "+353 1 {a} {b}"), ("Bengaluru, India", "+91 80 {b} {b}"), ("Boston, MA", "617.{a}.{b}"),
    ("Madrid, Spain", "+34 612 {a} {d}"), ("Nairobi, Kenya", "+254 712 {a} {d}"), ("Denver, CO", "(303) {a}-{b}"),
    ("Paris, France", "+33 6 12 34 {f} {f}"), ("Singapore", "+65 9{d} {b}"),
]

EXP_HEADINGS = ["Experience", "Professional Experience", "Relevant Experience", "Work Experience",
                "Professional Background", "Employment History", "Work History", "Career History"]
SKILL_HEADINGS = ["Skills", "Core Competencies", "Key Skills", "Technical Skills", "Areas of Expertise", "Skills & Tools"]
EDU_HEADINGS = ["Education", "Education", "Education & Training", "Academic Background"]

SCHOOLS = ["University of Michigan", "Universidad de Buenos Aires", "University of Leeds", "National University of Singapore",
           "Technische Universität München", "University of Cape Town", "Savitribai Phule Pune University", "McGill University",
           "University of Nairobi", "Universidade de São Paulo", "Trinity College Dublin", "Seoul National University",
           "Ohio State University", "Université de Lyon", "Boğaziçi University", "University of Washington",
           "Indian Institute of Technology Madras", "Jagiellonian University", "Georgia Institute of Technology",
           "Monash University", "Universidad Nacional Autónoma de México"]
# schools for diplomas, certificates and associate degrees
COLLEGES = ["Austin Community College", "Royal Melbourne Institute of Technology", "Humber College",
            "Dublin Institute of Technology", "Seneca Polytechnic"]
CULINARY = ["Le Cordon Bleu London", "Institut Paul Bocuse", "Culinary Institute of America"]


def school_for(prof, degree, k):
    if prof == "chef":
        return CULINARY[k % len(CULINARY)]
    if degree.startswith(("Associate", "Certificate", "Diploma")):
        return COLLEGES[k % len(COLLEGES)]
    return SCHOOLS[k % len(SCHOOLS)]


def _slug(name):
    import unicodedata
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    parts = [p for p in s.replace("'", "").replace("-", " ").split() if p]
    return parts


def make_people():
    rng = random.Random(12)
    srng = random.Random(7)  # schools
    profs = list(PROFESSIONS)
    people = []
    for i, name in enumerate(NAMES):
        prof = profs[i % len(profs)]
        P = PROFESSIONS[prof]
        city, phone_fmt = PLACES[i % len(PLACES)]
        a, b = f"{rng.randint(200, 989)}", f"{rng.randint(1000, 9999)}"
        c, d = f"{rng.randint(201, 989)}", f"{rng.randint(100, 999)}"
        e, f = f"{rng.randint(10000, 99999)}", f"{rng.randint(10, 99)}"
        phone = phone_fmt.format(a=a, b=b, c=c, d=d, e=e, f=f)
        parts = _slug(name)
        domain = ["example.com", "example.org", "example.net", "mail.example.com"][i % 4]
        email = [f"{parts[0]}.{parts[-1]}@{domain}", f"{parts[0][0]}{parts[-1]}@{domain}",
                 f"{parts[-1]}.{parts[0]}{i}@{domain}"][i % 3]
        links = []
        if i % 3 != 2:
            links.append(f"https://linkedin.com/in/{parts[0]}{parts[-1]}")
        if prof in ("software", "data", "designer") and i % 2 == 0:
            links.append(f"https://github.com/{parts[0][0]}{parts[-1]}-{i}")
        njobs = 2 + (i % 3 == 0) + (i % 5 == 0)
        njobs = min(njobs, len(P["titles"]))
        emps = rng.sample(P["employers"], njobs)
        # build jobs from newest to oldest
        jobs = []
        year, month = 2026, 11
        current = i % 7 != 3
        end = None if current else (2025, rng.randint(1, 12))
        if end:
            year, month = end
        for k in range(njobs):
            title = P["titles"][len(P["titles"]) - 1 - k] if k < len(P["titles"]) else P["titles"][0]
            length = rng.randint(18, 50)
            sy, sm = year, month - length
            while sm < 1:
                sm += 12
                sy -= 1
            if k == 0:
                pool = rng.sample(P["bullets"], len(P["bullets"]))
            picks = {2: [[0, 1, 2], [3, 4]], 3: [[0, 1], [2, 3], [4]]}[njobs][k]
            bullets = [pool[x % len(pool)] for x in picks]
            jcity = city if k == 0 or rng.random() < 0.6 else PLACES[(i + 3 * k) % len(PLACES)][0]
            jobs.append(dict(employer=emps[k], title=title, start=(sy, sm),
                             end=None if (k == 0 and current) else (year, month),
                             city=jcity, bullets=bullets))
            year, month = sy, sm - 1
            if month < 1:
                month, year = 12, year - 1
        deg, field = P["degrees"][(i + i // len(profs)) % len(P["degrees"])]
        grad = year - rng.randint(0, 1)
        edu = [dict(institution=school_for(prof, deg, srng.randrange(997)), degree=deg, field=field, end=grad, start=grad - 4)]
        if i % 4 == 1:
            d2, f2 = P["degrees"][(i + 1) % len(P["degrees"])]
            if (d2, f2) != (deg, field):
                edu.insert(0, dict(institution=school_for(prof, d2, srng.randrange(997)), degree=d2, field=f2,
                                   end=min(grad + 3, jobs[-1]["start"][0] + 2), start=grad + 1))
        skills = rng.sample(P["skills"], min(len(P["skills"]), rng.randint(7, 10)))
        people.append(dict(
            id=i, profession=prof, name=name, email=email, phone=phone, location=city, links=links,
            summary=P["summary"], jobs=jobs, education=edu, skills=skills,
            exp_heading=EXP_HEADINGS[i % len(EXP_HEADINGS)] if prof != "exec" else "Executive Experience",
            skill_heading=SKILL_HEADINGS[i % len(SKILL_HEADINGS)],
            edu_heading=EDU_HEADINGS[i % len(EDU_HEADINGS)],
            languages=[["English", "Spanish"], ["English", "French"], ["English", "Hindi", "Marathi"], ["English"]][i % 4],
        ))
    # third batch: a promotion inside one employer (two positions, same employer), certifications
    CERTS = {"software": ["AWS Certified Solutions Architect – Associate"], "nurse": ["Certified Emergency Nurse (CEN)"],
             "accountant": ["Certified Public Accountant (CPA)"], "pm": ["Certified Scrum Product Owner"],
             "logistics": ["APICS CSCP"], "hr": ["SHRM-CP"], "data": ["Google Professional Data Engineer"],
             "civil": ["Professional Engineer (PE)"], "marketing": ["Google Ads Search Certification"],
             "electrician": ["OSHA 30-Hour Construction"], "recruiter": ["AIRS Certified Internet Recruiter"]}
    for p in people[88:]:
        j0, j1 = p["jobs"][0], p["jobs"][1]
        j1["employer"] = j0["employer"]
        j1["city"] = j0["city"]
        p["promotion"] = True
        p["certifications"] = CERTS.get(p["profession"], ["First Aid at Work"])
    # one internationalised e-mail address, as real users write it
    people[13]["email"] = "chloé.dubois@société.fr"
    people[13]["name"] = "Chloé Dubois"
    return people + make_people4(len(people))



# ---------------------------------------------------------------- fourth batch (u101 on): new professions,
# international phone and postal-address formats, promotions, certifications
PROFESSIONS4 = {
    "architect": dict(
        titles=["Architectural Assistant", "Project Architect", "Associate Director"],
        employers=["Lindgren Hale Architects", "Studio Mareva", "Kōbō Design Workshop", "Atelier Brunnhof"],
        bullets=["Led design development for a 120-unit timber residential block through planning approval",
                 "Produced construction drawings and details in Revit for a 9,000 m2 library",
                 "Coordinated structural, MEP and facade consultants through weekly BIM clash reviews",
                 "Ran client workshops and presented schemes to the municipal design panel",
                 "Managed contract administration and site inspections during construction"],
        skills=["Revit", "Rhino 3D", "AutoCAD", "BIM Coordination", "Passive House Design", "Planning Applications", "SketchUp", "Contract Administration"],
        degrees=[("Master of Architecture", None), ("Bachelor of Arts", "Architecture")],
        summary="Architect who delivers low-carbon buildings on budget."),
    "journalist": dict(
        titles=["Reporter", "Senior Reporter", "News Editor"],
        employers=["The Meridian Courier", "Coastal Public Radio", "Dagbladet Nord", "Harbour City Herald"],
        bullets=["Broke a series on municipal water contracts that led to a state audit",
                 "Filed three to five stories a week on local government and courts",
                 "Edited a team of six reporters and ran the morning news meeting",
                 "Produced data stories with spreadsheets, public records and FOI requests",
                 "Hosted a weekly news podcast with 20,000 listeners"],
        skills=["Investigative Reporting", "Copy Editing", "FOI Requests", "AP Style", "Data Journalism", "Podcast Production", "Interviewing", "CMS Publishing"],
        degrees=[("Bachelor of Arts", "Journalism"), ("MA", "Investigative Journalism")],
        summary="Reporter and editor with a record of accountability journalism."),
    "pharmacist": dict(
        titles=["Pharmacy Technician", "Staff Pharmacist", "Pharmacy Manager"],
        employers=["Wellbrook Pharmacy", "Northshore General Hospital", "CarePlus Chemists", "Apotheke am Markt"],
        bullets=["Verified and dispensed 400 prescriptions a day with a zero-error audit record",
                 "Ran medication therapy reviews for patients with diabetes and heart failure",
                 "Managed controlled-drug registers and monthly stock counts",
                 "Trained four technicians and two pre-registration pharmacists",
                 "Delivered a flu vaccination clinic of 1,800 doses per season"],
        skills=["Clinical Pharmacy", "Medication Therapy Management", "Immunisations", "Controlled Drugs", "Patient Counselling", "Inventory Management", "Pharmacy Law", "Compounding"],
        degrees=[("Doctor of Pharmacy", None), ("Master of Pharmacy", None)],
        summary="Pharmacist focused on safe dispensing and patient counselling."),
    "security": dict(
        titles=["SOC Analyst", "Security Engineer", "Security Engineering Lead"],
        employers=["Bastion Shield Security", "Ferrovia Bank", "Nimbus Health Cloud", "Sentinel Grid"],
        bullets=["Triaged 150 alerts a day in Splunk and wrote detections that cut false positives by half",
                 "Led incident response for a ransomware attempt contained within four hours",
                 "Ran quarterly penetration tests and tracked remediation with engineering teams",
                 "Built the vulnerability management programme covering 4,000 hosts",
                 "Prepared evidence for ISO 27001 and SOC 2 Type II audits"],
        skills=["Splunk", "Incident Response", "Threat Hunting", "Penetration Testing", "ISO 27001", "SIEM", "Vulnerability Management", "Python", "Burp Suite"],
        degrees=[("Bachelor of Science", "Cybersecurity"), ("MSc", "Information Security")],
        summary="Security engineer who finds problems before attackers do."),
    "hotel": dict(
        titles=["Front Office Supervisor", "Assistant General Manager", "General Manager"],
        employers=["Grand Solace Hotel", "Marisol Resort & Spa", "The Alder House", "Kestrel Inns Group"],
        bullets=["Ran a 220-room city hotel with 140 staff and revenue of $18M",
                 "Raised the guest satisfaction score from 8.1 to 9.0 on review platforms",
                 "Cut labour cost by 6% with demand-based rostering",
                 "Led the pre-opening team for a 90-room boutique property",
                 "Managed group sales, banqueting and revenue strategy with the commercial team"],
        skills=["Revenue Management", "Opera PMS", "Guest Relations", "P&L Management", "Pre-Opening", "Rostering", "Food & Beverage Operations", "Team Leadership"],
        degrees=[("Bachelor of Science", "Hospitality Management"), ("Diploma", "Hotel Operations")],
        summary="Hotelier who runs warm, profitable properties."),
    "social": dict(
        titles=["Case Worker", "Social Worker", "Senior Social Worker"],
        employers=["Eastbridge Family Services", "Riverbend County Council", "Hope Harbour Shelter", "Lantern Youth Trust"],
        bullets=["Managed a caseload of 28 families under child protection plans",
                 "Wrote court reports and assessments under statutory deadlines",
                 "Chaired multi-agency meetings with schools, police and health visitors",
                 "Set up a peer-support group for young carers",
                 "Supervised three newly qualified social workers"],
        skills=["Safeguarding", "Case Management", "Risk Assessment", "Motivational Interviewing", "Court Reports", "Crisis Intervention", "Multi-Agency Working", "Trauma-Informed Practice"],
        degrees=[("Master of Social Work", None), ("Bachelor of Social Work", None)],
        summary="Social worker who keeps children safe and families together."),
}

NAMES4 = [
    "Maarten de Vries", "Yui Hasegawa", "Thiago Ribeiro", "Ximena Castillo", "Lerato Mokoena", "Charlotte Nguyen",
    "Omar Farouk", "Zofia Kamińska", "Linnea Berg", "Reto Baumann", "Annika Vogel", "Harpreet Gill",
    "Aroha Ngata", "Matteo Conti", "Seo-yeon Jung", "Thandeka Mthembu", "Callum Fraser", "Grace Liu",
    "Wing Yan Cheung", "Santiago Pereyra", "Kwabena Appiah", "Jasper Koenraad", "Mariko Fujita", "Rodrigo Nascimento",
    "Paloma Ortega", "Nomvula Sithole", "Oliver Bennett", "Rania Mansour", "Piotr Wójcik", "Elsa Lundgren",
    "Urs Keller", "Katrin Hoffmann", "Manpreet Dhillon", "Tane Parata", "Alessia Greco", "Min-jun Kang",
    "Bongani Ndlovu", "Isla Robertson", "Ethan Brooks", "Ka Ming Lau", "Valeria Sosa", "Efua Mensah",
    "Sanne Bakker", "Haruto Ishikawa", "Larissa Costa", "Fernando Ruiz", "Palesa Dube", "Amelia Clarke",
    "Khalid Al-Mansoori", "Agnieszka Lewandowska", "Oskar Nyström", "Nina Brunner", "Felix Schäfer", "Simran Kaur",
    "Hemi Walker", "Chiara Russo", "Da-eun Yoon", "Sizwe Mahlangu", "Rory Campbell", "Jessica Alvarez",
    "Chun Kit Wong", "Agustín Romero", "Yaw Darko", "Femke Visser", "Ren Takahashi", "Beatriz Lima",
]

# (city label, phone format, a postal address as it is printed in the header)
PLACES4 = [
    ("Amsterdam, Netherlands", "+31 6 {h} {i}", "Prinsengracht 412-2, 1016 JK Amsterdam, Netherlands"),
    ("Tokyo, Japan", "+81 90-{i}-{h}", "2-14-7 Jingumae, Shibuya-ku, Tokyo 150-0001, Japan"),
    ("São Paulo, Brazil", "+55 11 9{i}-{h}", "Rua Augusta 1508, apto 72, São Paulo - SP, 01304-001, Brazil"),
    ("Mexico City, Mexico", "+52 55 {i} {h}", "Av. Álvaro Obregón 130, Roma Nte., 06700 Ciudad de México, Mexico"),
    ("Johannesburg, South Africa", "+27 82 {a} {h}", "14 Jan Smuts Avenue, Parktown, Johannesburg 2193, South Africa"),
    ("Melbourne, VIC", "0412 {a} {d}", "Unit 5, 88 Brunswick Street, Fitzroy VIC 3065, Australia"),
    ("Dubai, UAE", "+971 50 {a} {h}", "Apt 1204, Marina Heights, Dubai Marina, Dubai, UAE"),
    ("Warsaw, Poland", "+48 512 {a} {d}", "ul. Marszałkowska 84/92 m. 17, 00-514 Warszawa, Poland"),
    ("Stockholm, Sweden", "070-{d} {f} {g}", "Götgatan 48, 118 26 Stockholm, Sweden"),
    ("Zürich, Switzerland", "+41 44 {d} {f} {g}", "Langstrasse 121, 8004 Zürich, Switzerland"),
    ("Hamburg, Germany", "+49 (0)40 {i} {h}", "Schanzenstraße 37, 20357 Hamburg, Germany"),
    ("Vancouver, BC", "604-{a}-{h}", "1203-1188 Howe Street, Vancouver, BC V6Z 2S8, Canada"),
    ("Auckland, New Zealand", "+64 21 {a} {h}", "17 Ponsonby Road, Grey Lynn, Auckland 1021, New Zealand"),
    ("Milan, Italy", "+39 02 {i} {h}", "Via Paolo Sarpi 22, 20154 Milano MI, Italy"),
    ("Seoul, South Korea", "+82 10-{i}-{h}", "35 Teheran-ro 8-gil, Gangnam-gu, Seoul 06236, South Korea"),
    ("Durban, South Africa", "031 {a} {h}", "22 Florida Road, Morningside, Durban 4001, South Africa"),
    ("Edinburgh, UK", "+44 (0)131 {a} {h}", "Flat 3F2, 12 Marchmont Road, Edinburgh EH9 1HY, United Kingdom"),
    ("San Francisco, CA", "+1 (415) {a}-{h}", "2150 Valencia Street, Apt 4, San Francisco, CA 94110"),
    ("Hong Kong", "+852 9{d} {h}", "Flat B, 15/F, 38 Caine Road, Mid-Levels, Hong Kong"),
    ("Buenos Aires, Argentina", "+54 9 11 {i}-{h}", "Av. Corrientes 1847, Piso 5 Dto. B, C1045AAE Buenos Aires, Argentina"),
    ("Accra, Ghana", "+233 24 {a} {h}", "House No. 12, Oxford Street, Osu, Accra, Ghana"),
    ("Rotterdam, Netherlands", "010 {a} {h}", "Witte de Withstraat 61B, 3012 BN Rotterdam, Netherlands"),
]

EXP_HEADINGS4 = ["Experience", "Work Experience", "Professional Experience", "Employment", "Professional History",
                 "Experience", "Relevant Experience", "Positions Held"]
SKILL_HEADINGS4 = ["Skills", "Core Skills", "Key Skills", "Competencies", "Expertise", "Tools & Skills"]
EDU_HEADINGS4 = ["Education", "Qualifications", "Education", "Academic Qualifications"]
CERTS4 = {"architect": ["RIBA Chartered Architect"], "pharmacist": ["Independent Prescriber (IP)"],
          "security": ["CISSP", "OSCP"], "hotel": ["Certified Hotel Administrator (CHA)"],
          "social": ["Social Work England Registration"], "journalist": ["NCTJ Diploma in Journalism"],
          "software": ["Certified Kubernetes Administrator (CKA)"], "nurse": ["Certified Emergency Nurse (CEN)"],
          "data": ["Google Professional Data Engineer"], "accountant": ["Certified Public Accountant (CPA)"]}


def make_people4(start):
    """The fourth batch: 66 people, ids start.., professions of batch 4 and some of the earlier ones."""
    rng = random.Random(2026)
    profs = list(PROFESSIONS4) + ["software", "nurse", "accountant", "data", "sales", "teacher", "designer", "logistics"]
    people = []
    for n, name in enumerate(NAMES4):
        i = start + n
        prof = profs[n % len(profs)]
        P = PROFESSIONS4.get(prof) or PROFESSIONS[prof]
        city, phone_fmt, street = PLACES4[n % len(PLACES4)]
        v = dict(a=f"{rng.randint(200, 989)}", h=f"{rng.randint(1000, 9999)}", i=f"{rng.randint(1000, 9999)}",
                 d=f"{rng.randint(100, 999)}", f=f"{rng.randint(10, 99)}", g=f"{rng.randint(10, 99)}")
        phone = phone_fmt.format(**v)
        parts = _slug(name)
        domain = ["example.com", "example.org", "example.net", "post.example.com", "mail.example.org"][n % 5]
        email = [f"{parts[0]}.{parts[-1]}@{domain}", f"{parts[0]}{parts[-1][0]}@{domain}", f"{parts[0][0]}.{parts[-1]}@{domain}",
                 f"{parts[-1]}_{parts[0]}@{domain}", f"hello@{parts[0]}{parts[-1]}.example.net"][n % 5]
        links = []
        if n % 3 != 1:
            links.append(f"https://linkedin.com/in/{parts[0]}-{parts[-1]}")
        if prof in ("software", "data", "security", "designer", "architect") and n % 2 == 0:
            links.append(f"https://github.com/{parts[0]}{parts[-1][0]}{n}")
        njobs = 2 + (n % 2 == 0)
        emps = rng.sample(P["employers"], njobs)
        jobs = []
        year, month = 2026, 10
        current = n % 6 != 5
        if not current:
            year, month = 2025, rng.randint(1, 12)
        for k in range(njobs):
            title = P["titles"][len(P["titles"]) - 1 - k]
            length = rng.randint(16, 44)
            sy, sm = year, month - length
            while sm < 1:
                sm += 12
                sy -= 1
            if k == 0:
                pool = rng.sample(P["bullets"], len(P["bullets"]))
            picks = {2: [[0, 1, 2], [3, 4]], 3: [[0, 1], [2, 3], [4]]}[njobs][k]
            jcity = city if k == 0 or rng.random() < 0.5 else PLACES4[(n + 5 * k) % len(PLACES4)][0]
            jobs.append(dict(employer=emps[k], title=title, start=(sy, sm),
                             end=None if (k == 0 and current) else (year, month),
                             city=jcity, bullets=[pool[x % len(pool)] for x in picks]))
            year, month = sy, sm - 1
            if month < 1:
                month, year = 12, year - 1
        deg, field = P["degrees"][n % len(P["degrees"])]
        grad = year - rng.randint(0, 1)
        edu = [dict(institution=school_for(prof, deg, rng.randrange(997)), degree=deg, field=field, end=grad, start=grad - 4)]
        if n % 5 == 2:
            d2, f2 = P["degrees"][(n + 1) % len(P["degrees"])]
            if (d2, f2) != (deg, field):
                edu.insert(0, dict(institution=school_for(prof, d2, rng.randrange(997)), degree=d2, field=f2,
                                   end=min(grad + 2, jobs[-1]["start"][0] + 2), start=grad + 1))
        skills = rng.sample(P["skills"], min(len(P["skills"]), rng.randint(6, 9)))
        p = dict(id=i, profession=prof, name=name, email=email, phone=phone,
                 location=street if n % 3 == 0 else city, links=links,
                 summary=P["summary"], jobs=jobs, education=edu, skills=skills,
                 exp_heading=EXP_HEADINGS4[n % len(EXP_HEADINGS4)],
                 skill_heading=SKILL_HEADINGS4[n % len(SKILL_HEADINGS4)],
                 edu_heading=EDU_HEADINGS4[n % len(EDU_HEADINGS4)],
                 languages=[["English", "Dutch"], ["Japanese", "English"], ["Portuguese", "English", "Spanish"], ["Spanish", "English"],
                            ["English", "isiZulu"], ["English"]][n % 6])
        if n % 4 == 1 and len(jobs) >= 2:  # a promotion inside one employer
            jobs[1]["employer"], jobs[1]["city"] = jobs[0]["employer"], jobs[0]["city"]
            p["promotion"] = True
        if n % 3 == 2:
            p["certifications"] = CERTS4.get(prof, ["First Aid at Work"])
        people.append(p)
    return people

def fmt_date(ym, style):
    """Render a (year, month) or None (= present) in one of several styles; return (text, label)."""
    if ym is None:
        word = {"short": "Present", "long": "Present", "num": "Present", "year": "Present",
                "iso": "present", "cur": "Current"}[style]
        return word, "present"
    y, m = ym
    if style == "short":
        return f"{MONTHS[m - 1]} {y}", f"{y}-{m:02d}"
    if style == "long":
        return f"{MONTHS_LONG[m - 1]} {y}", f"{y}-{m:02d}"
    if style == "num":
        return f"{m:02d}/{y}", f"{y}-{m:02d}"
    if style == "iso":
        return f"{y}-{m:02d}", f"{y}-{m:02d}"
    if style == "cur":
        return f"{MONTHS[m - 1]}. {y}" if m != 5 else f"May {y}", f"{y}-{m:02d}"
    return f"{y}", f"{y}"


def label(p, file, maker, date_style, sections, skills=None, headings=None, layout=None):
    """Expected JSON for a rendered person, in the shape of tests/corpus/expected."""
    exp = []
    for j in p["jobs"]:
        exp.append(dict(employer=j["employer"], title=j["title"],
                        start=fmt_date(j["start"], date_style)[1],
                        end=fmt_date(j["end"], date_style)[1] if j["end"] or True else None))
    edu = [dict(institution=e["institution"], degree=e["degree"], field=e["field"], end=str(e["end"]), gpa=None)
           for e in p["education"]]
    return dict(file=file, maker=maker, layout=layout or "single-column", profession=p["profession"],
                name=p["name"], email=p["email"], phone=p["phone"], location=p["location"],
                links=p["links"], sections=sections, headings=headings or [],
                experience=exp, education=edu, skills=skills if skills is not None else p["skills"],
                **({"certifications": p["certifications"]} if p.get("certifications") else {}))
