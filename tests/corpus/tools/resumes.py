# The resume corpus: fictional people, fictional employers. See author.py for the markup.
# Every person, employer, address, phone number and link here is invented for this project.
# Phone numbers use reserved/fictional ranges where the country has one (e.g. 555-01xx, 07700 900xxx).

RESUMES = []


def R(**kw):
    RESUMES.append(kw)


# ------------------------------------------------------------------------------------------ r01
R(id="r01-software", profession="backend software engineer", how="chromium", layout="two-column",
  side=["skills", "education", "languages", "certifications"], dates="mon",
  contact=dict(name="José Martínez-López", email="jose.martinez.lopez@example.com",
               phone="+34 612 345 678", location="Valencia, Spain",
               links=["linkedin.com/in/josemartinezlopez", "github.com/jmlopez-dev"]),
  headline="Senior Backend Engineer · distributed systems",
  sections=[
      ("summary", "Professional Summary",
       "{Backend engineer|Backend Development} with nine years of experience building efficient, reliable services in {Rust} "
       "and {Go}. I like boring infrastructure, good {observability|Observability} and code reviews "
       "that teach something. Comfortable owning a service from design doc to on-call."),
      ("experience", "Work Experience", [
          dict(title="Senior Backend Engineer", org="Tidewater Payments", where="Valencia",
               start="2021-03", end="present",
               bullets=["Rewrote the ledger service from {Go} to {Rust}, cutting p99 latency from 180 ms to 35 ms",
                        "Designed an event pipeline on {Kafka} handling 40k messages/s with exactly-once semantics",
                        "Moved 30 services to {Kubernetes} with {Helm} charts and {Argo CD|Argo CD}; wrote the on-call runbooks",
                        "Mentored four engineers; ran the backend guild's fortnightly design reviews"]),
          dict(title="Software Engineer", org="Brisa Logistics", where="Madrid",
               start="2017-06", end="2021-02",
               bullets=["Built the shipment tracking API in {Go} on {PostgreSQL} and {Redis}",
                        "Introduced {gRPC} between internal services and an affiliate-facing {REST|REST APIs} gateway",
                        "Set up {CI/CD} with {GitLab CI} and {Docker}; deploy time fell from 2 hours to 9 minutes"]),
          dict(title="Junior Developer", org="Estudio Naranja", where="Valencia",
               start="2015-09", end="2017-05",
               bullets=["Maintained {PHP} and {MySQL} back offices for retail clients",
                        "Wrote the first {automated tests|Test Automation} the office ever had, using {PHPUnit}"]),
      ]),
      ("skills", "Technical Skills", [
          ("Languages", ["Rust", "Go", "Python", "SQL", "PHP"]),
          ("Data", ["PostgreSQL", "Redis", "Kafka", "MySQL"]),
          ("Infrastructure", ["Kubernetes", "Docker", "Terraform", "AWS", "Prometheus", "Grafana"]),
          ("Practices", ["Distributed Systems", "System Design", "Code Review", "Mentoring"]),
      ]),
      ("education", "Education", [
          dict(degree="Grado en Ingeniería Informática", field=None, school="Universitat Politècnica de València",
               end="2015"),
      ]),
      ("certifications", "Certifications", [
          ("Certified Kubernetes Administrator (CKA), 2022", "Certified Kubernetes Administrator"),
      ]),
      ("languages", "Languages", [("Spanish — native", "Spanish"), ("Catalan — native", "Catalan"),
                                  ("English — C1", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r02
R(id="r02-data-scientist", profession="data scientist", how="chromium", layout="sidebar",
  side=["skills", "languages", "education"], dates="slash", lang="en",
  contact=dict(name="Nguyễn Thị Lan", email="lan.nguyen@example.org", phone="+84 90 123 4567",
               location="Ho Chi Minh City, Vietnam",
               links=["linkedin.com/in/nguyen-thi-lan", "https://github.com/lannguyen-ds"]),
  headline="Data Scientist",
  sections=[
      ("skills", "Skills", [
          (None, ["Python", "R", "SQL", "pandas", "scikit-learn", "PyTorch", "XGBoost", "Apache Spark|Apache Spark",
                  "Airflow|Apache Airflow", "Tableau", "Git", "A/B Testing", "Statistics", "Machine Learning",
                  "Time Series Forecasting", "Data Visualization"]),
      ]),
      ("languages", "Languages", [("Vietnamese (native)", "Vietnamese"), ("English (fluent)", "English"),
                                  ("Japanese (JLPT N3)", "Japanese")]),
      ("education", "Education", [
          dict(degree="M.Sc.", field="Data Science", school="University of Melbourne", end="2018", fmt="b",
               gpa="3.8", gpa_scale="/4.0"),
          dict(degree="B.Sc.", field="Mathematics", school="Vietnam National University", end="2016", fmt="b"),
      ]),
      ("summary", "Profile",
       "Data scientist who turns messy retail and logistics data into forecasts people actually use. "
       "Five years in e-commerce; happiest when a model ships and the workflow around it gets simpler."),
      ("experience", "Experience", [
          dict(title="Senior Data Scientist", org="Sàigòn Mart Online", where="Ho Chi Minh City",
               start="2021-08", end="present",
               bullets=["Built {demand forecasting|Demand Forecasting} models ({XGBoost}, {Prophet}) for 12,000 SKUs; stock-outs fell 18%",
                        "Designed the company's {A/B testing|A/B Testing} framework and trained product teams to read results",
                        "Productionised models with {Airflow|Apache Airflow} and {Docker} on {GCP}"]),
          dict(title="Data Scientist", org="Mekong Freight Analytics", where="Ho Chi Minh City",
               start="2018-10", end="2021-07",
               bullets=["Predicted delivery delays with {gradient boosting|Gradient Boosting} in {Python} and {scikit-learn}",
                        "Built {Tableau} dashboards for the operations office, replacing 20 weekly spreadsheets",
                        "Processed 2 TB of GPS pings with {PySpark|Apache Spark}"]),
          dict(title="Research Assistant (part-time)", org="University of Melbourne", where="Melbourne",
               start="2017-03", end="2018-06",
               bullets=["Cleaned and analysed survey data in {R} ({tidyverse}); co-authored a conference paper"]),
      ]),
      ("publications", "Publications", [
          "Nguyen, T. L., & Harper, J. (2018). Small-sample demand forecasting for fresh produce. "
          "Proceedings of the Australasian Data Mining Conference.",
      ]),
  ])

# ------------------------------------------------------------------------------------------ r03
R(id="r03-nurse", profession="registered nurse", how="lo-docx-table", dates="full",
  contact=dict(name="Zoë Brontë-Kaur", email="zoe.bronte-kaur@example.com", phone="07700 900123",
               location="Leeds, West Yorkshire"),
  headline="Registered Nurse (Adult) — NMC PIN 09A1234E",
  sections=[
      ("summary", "Personal Statement",
       "Compassionate adult nurse with seven years on acute medical and cardiology wards. Calm in a crisis, "
       "strong on {patient education|Patient Education} and {discharge planning|Discharge Planning}, and the "
       "person colleagues ask when the infusion pump misbehaves."),
      ("experience", "Employment History", [
          dict(title="Senior Staff Nurse (Band 6)", org="St Aidan's General Hospital, Cardiology Ward",
               where="Leeds", start="2021-06", end="present",
               bullets=["Lead a team of 8 nurses and 4 healthcare assistants on a 28-bed ward",
                        "Administer IV medications and manage {telemetry monitoring|Telemetry Monitoring} for post-PCI patients",
                        "Coordinate {discharge planning|Discharge Planning} with physiotherapy, pharmacy and social care",
                        "{Mentor|Mentoring} student nurses as a Practice Assessor"]),
          dict(title="Staff Nurse (Band 5)", org="Harrowgate Royal Infirmary, Acute Medical Unit",
               where="Harrogate", start="2017-09", end="2021-05",
               bullets=["Delivered {patient care|Patient Care} to up to 10 acutely unwell patients per shift",
                        "Used {NEWS2} scoring and {SBAR} handovers to escalate deteriorating patients",
                        "Documented care in {SystmOne}; completed {wound care|Wound Care} and {venepuncture|Venepuncture} competencies"]),
      ]),
      ("education", "Education & Training", [
          dict(degree="BSc (Hons)", field="Adult Nursing", school="University of Bradford", end="2017",
               shown_end="2014–2017"),
      ]),
      ("certifications", "Licenses & Certifications", [
          ("Registered Nurse, Nursing and Midwifery Council (NMC)", "NMC Registered Nurse"),
          ("Advanced Life Support (ALS), Resuscitation Council UK, 2023", "Advanced Life Support"),
          ("Immediate Life Support (ILS), 2019", "Immediate Life Support"),
      ]),
      ("skills", "Key Skills", [
          (None, ["Patient Care", "Medication Administration", "IV Therapy", "Telemetry Monitoring",
                  "Wound Care", "Infection Control", "Care Planning", "Teamwork", "Communication"]),
      ]),
      ("interests", "Interests", "Fell running, choir (alto), baking sourdough badly."),
      ("references", "References", "Available on request."),
  ])

# ------------------------------------------------------------------------------------------ r04
R(id="r04-accountant", profession="accountant", how="pdflatex", dates="year",
  contact=dict(name="Søren Ødegård", email="soren.odegard@example.no", phone="+47 912 34 567",
               location="Oslo, Norway", links=["linkedin.com/in/sorenodegard"]),
  headline="Chartered Accountant (Statsautorisert revisor)",
  sections=[
      ("summary", "Summary",
       "Accountant with eight years in audit and group reporting. I make month-end close efficient, "
       "keep auditors happy and explain {IFRS} to people who would rather not hear about it."),
      ("experience", "Professional Experience", [
          dict(title="Group Financial Controller", org="Nordkyst Shipping ASA", where="Oslo",
               start="2020-01", end="present",
               bullets=["Own consolidated reporting under {IFRS} for 14 subsidiaries in 6 countries",
                        "Cut the {month-end close|Month-End Close} from 12 to 6 working days by redesigning the workflow in {SAP S/4HANA}",
                        "Lead the {budgeting|Budgeting} and {forecasting|Financial Forecasting} cycle with business controllers",
                        "Introduced {Power BI} reporting for the CFO office"]),
          dict(title="Senior Auditor", org="Fjeld & Haugen Revisjon", where="Bergen",
               start="2015-08", end="2019-12",
               bullets=["Led statutory audits of mid-sized manufacturing and offshore clients",
                        "Tested internal controls and prepared {transfer pricing|Transfer Pricing} documentation",
                        "Built audit analytics in {Microsoft Excel} and {IDEA}"]),
      ]),
      ("education", "Education", [
          dict(degree="Master of Science", field="Accounting and Auditing", school="Norwegian School of Economics (NHH)",
               end="2015"),
          dict(degree="Bachelor", field="Business Administration", school="BI Norwegian Business School", end="2013"),
      ]),
      ("skills", "Core Competencies", [
          (None, ["IFRS", "NGAAP", "Consolidation", "Financial Reporting", "Auditing", "Internal Controls",
                  "SAP S/4HANA", "Microsoft Excel", "Power BI", "VBA"]),
      ]),
      ("certifications", "Certifications", [("Statsautorisert revisor (State Authorised Public Accountant), 2018",
                                             "State Authorised Public Accountant")]),
      ("languages", "Languages", [("Norwegian (native)", "Norwegian"), ("English (fluent)", "English"),
                                  ("German (conversational)", "German")]),
  ])

# ------------------------------------------------------------------------------------------ r05
R(id="r05-marketing", profession="digital marketing manager", how="pandoc-docx", dates="mon",
  contact=dict(name="Aisha Al-Farsi", email="aisha.alfarsi@fictionalmail.net", phone="+968 9123 4567",
               location="Muscat, Oman", links=["linkedin.com/in/aisha-al-farsi"]),
  headline="Digital Marketing Manager",
  sections=[
      ("summary", "About Me",
       "{Performance marketer|Performance Marketing} with 8+ years across retail, telecom and hospitality in the GCC. "
       "I plan campaigns in English and Arabic, live in {Google Analytics}, and measure everything."),
      ("experience", "Career", [
          dict(title="Digital Marketing Manager", org="Al Noor Hospitality Group", where="Muscat",
               start="2020-02", end="present",
               bullets=["Manage a USD 1.2M annual paid media budget across {Google Ads}, {Meta Ads} and {TikTok Ads}",
                        "Grew direct hotel bookings 34% in two years through {SEO} and {email marketing|Email Marketing} in {HubSpot}",
                        "Launched an {affiliate programme|Affiliate Marketing} with 60 travel bloggers",
                        "Lead a team of 5: content, paid social, {CRM}"]),
          dict(title="Marketing Specialist", org="Oman Connect Telecom", where="Muscat",
               start="2016-05", end="2020-01",
               bullets=["Ran bilingual social media campaigns; followers grew from 40k to 310k",
                        "Built {Google Data Studio|Looker Studio} dashboards for campaign performance",
                        "Coordinated product launches with agencies and the brand team"]),
          dict(title="Marketing Intern", org="Gulf Retail Co.", where="Dubai", style="mon",
               shown="Summer 2015", start="2015", end="2015",
               bullets=["Supported in-store promotions and competitor research"]),
      ]),
      ("education", "Education", [
          dict(degree="Bachelor of Business Administration", field="Marketing", school="Sultan Qaboos University",
               end="2016"),
      ]),
      ("skills", "Skills", [
          ("Channels", ["SEO", "SEM", "Social Media Marketing", "Email Marketing", "Content Marketing"]),
          ("Tools", ["Google Analytics", "Google Ads", "Meta Ads", "HubSpot", "Hootsuite", "Canva", "Looker Studio"]),
          ("Other", ["Campaign Management", "Budget Management", "Team Leadership", "Copywriting"]),
      ]),
      ("certifications", "Certifications", [
          ("Google Ads Search Certification (2023)", "Google Ads Search Certification"),
          ("HubSpot Inbound Marketing Certification (2022)", "HubSpot Inbound Marketing Certification"),
      ]),
      ("languages", "Languages", [("Arabic — native", "Arabic"), ("English — fluent", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r06
R(id="r06-teacher", profession="secondary school teacher", how="txt", txt="caps", dates="dot", present="obecnie",
  contact=dict(name="Łukasz Wójcik", email="lukasz.wojcik@example.pl", phone="+48 601 234 567",
               location="Kraków, Poland"),
  headline="Mathematics and Physics Teacher",
  sections=[
      ("summary", "Profile",
       "Secondary school teacher of mathematics and physics with 10 years of classroom experience, "
       "an examiner for the Matura exam and an enthusiast of project-based learning."),
      ("experience", "Work Experience", [
          dict(title="Mathematics and Physics Teacher", org="VII Liceum Ogólnokształcące im. Zofii Nałkowskiej",
               where="Kraków", start="2016-09", end="present",
               bullets=["Teach mathematics (extended level) to classes of 28–32 students aged 15–19",
                        "Prepare students for the Matura; class average 14 points above the national mean in 2023",
                        "Introduced {GeoGebra} and {Python} into the physics lab for {data analysis|Data Analysis}",
                        "Run {Moodle} courses and {Google Classroom|Google Classroom} for remote and hybrid teaching"]),
          dict(title="Mathematics Teacher", org="Szkoła Podstawowa nr 12", where="Tarnów",
               start="2013-09", end="2016-06",
               bullets=["Taught grades 4–8; designed {differentiated instruction|Differentiated Instruction} materials for students with SEN",
                        "Coached the school team to the regional final of the Kangaroo math competition"]),
      ]),
      ("education", "Education", [
          dict(degree="Magister (M.Sc.)", field="Mathematics (teaching specialisation)", school="Jagiellonian University",
               end="2013"),
          dict(degree="Postgraduate Diploma", field="Physics Teaching", school="AGH University of Science and Technology",
               end="2015"),
      ]),
      ("skills", "Skills", [
          (None, ["Lesson Planning", "Classroom Management", "Curriculum Development", "Student Assessment",
                  "Differentiated Instruction", "Project-Based Learning", "Moodle", "Google Classroom",
                  "GeoGebra", "Python", "LaTeX"]),
      ]),
      ("certifications", "Certifications", [("Matura Examiner, Central Examination Board (CKE), 2017", "Matura Examiner")]),
      ("languages", "Languages", [("Polish – native", "Polish"), ("English – B2", "English"),
                                  ("German – A2", "German")]),
      ("interests", "Interests", "Astronomy, mountain hiking in the Tatras, chess."),
  ])

# ------------------------------------------------------------------------------------------ r07
R(id="r07-mech-eng", profession="mechanical engineer", how="chromium", layout="one-column", dates="iso",
  contact=dict(name="Priya Raghunathan", email="priya.raghunathan@example.com", phone="+91 98765 43210",
               location="Pune, Maharashtra", links=["linkedin.com/in/priya-raghunathan"]),
  headline="Mechanical Design Engineer — automotive powertrain",
  sections=[
      ("summary", "Summary",
       "Mechanical engineer with 6 years in automotive powertrain design. Experienced in {SolidWorks}, "
       "{CATIA} and {ANSYS}, with a habit of making designs easier to manufacture and more efficient to test."),
      ("experience", "Professional Experience", [
          dict(title="Senior Design Engineer", org="Sahyadri Auto Components Pvt. Ltd.", where="Pune",
               start="2021-04", end="present",
               bullets=["Lead design of gearbox housings for two EV programmes, from concept to {PPAP}",
                        "Ran {FEA|Finite Element Analysis} in {ANSYS} and cut housing mass by 11% without losing stiffness",
                        "Applied {GD&T} and {DFMEA} across a team of 6 designers; reviewed all release drawings",
                        "Streamlined the ECN workflow in {Teamcenter}, halving change approval time"]),
          dict(title="Design Engineer", org="Deccan Motors Ltd.", where="Chakan",
               start="2018-07", end="2021-03",
               bullets=["Modelled engine brackets and mounts in {CATIA V5|CATIA}",
                        "Supported supplier affiliates with {DFM|Design for Manufacturing} reviews for die-cast parts",
                        "Built test rigs and analysed vibration data in {MATLAB}"]),
          dict(title="Graduate Engineer Trainee", org="Deccan Motors Ltd.", where="Chakan",
               start="2017-07", end="2018-06",
               bullets=["Rotated through manufacturing, quality and design; completed a {Six Sigma|Six Sigma} green belt project"]),
      ]),
      ("education", "Education", [
          dict(degree="B.E.", field="Mechanical Engineering", school="College of Engineering Pune", end="2017",
               fmt="b", gpa="8.6", gpa_word="CGPA", gpa_scale="/10"),
      ]),
      ("skills", "Technical Skills", [
          ("CAD/CAE", ["SolidWorks", "CATIA", "ANSYS", "AutoCAD", "Teamcenter"]),
          ("Engineering", ["GD&T", "DFMEA", "Finite Element Analysis", "Design for Manufacturing", "Tolerance Stack-up Analysis"]),
          ("Other", ["MATLAB", "Six Sigma", "Microsoft Excel"]),
      ]),
      ("certifications", "Certifications", [
          ("Certified SOLIDWORKS Professional (CSWP), 2020", "Certified SOLIDWORKS Professional"),
          ("Lean Six Sigma Green Belt, 2018", "Lean Six Sigma Green Belt"),
      ]),
      ("awards", "Awards", ["Deccan Motors Innovation Award, 2020 — lightweight bracket family"]),
  ])

# ------------------------------------------------------------------------------------------ r08
R(id="r08-sales", profession="account executive (B2B sales)", how="txt", txt="plain", dates="mon",
  colon_headings=True,
  contact=dict(name="Michael O'Brien", email="mike.obrien@example.com", phone="(312) 555-0147",
               location="Chicago, IL", links=["linkedin.com/in/mikeobrien-sales"]),
  sections=[
      ("summary", "Summary",
       "Quota-carrying B2B account executive, 7 years selling SaaS to mid-market and enterprise. "
       "President's Club twice. I run a disciplined pipeline in {Salesforce} and I like long sales cycles."),
      ("experience", "Experience", [
          dict(title="Senior Account Executive", org="Brightline Software", where="Chicago, IL",
               start="2020-09", end="present",
               bullets=["Closed $2.4M in new ARR in FY2023 (131% of quota)",
                        "Run full-cycle sales: {prospecting|Prospecting}, discovery, demos, {negotiation|Negotiation}, close",
                        "Use {MEDDIC} qualification and forecast weekly in {Salesforce}",
                        "Partner with SEs on security reviews and RFP responses"]),
          dict(title="Account Executive", org="CargoDesk", where="Chicago, IL",
               start="2018-03", end="2020-08",
               bullets=["Sold logistics software to 3PLs; 118% average quota attainment",
                        "Built outbound sequences in {Outreach} and {LinkedIn Sales Navigator}"]),
          dict(title="Sales Development Representative", org="CargoDesk", where="Chicago, IL",
               start="2016-11", end="2018-02",
               bullets=["Booked 25+ qualified meetings a month through {cold calling|Cold Calling} and email"]),
      ]),
      ("education", "Education", [
          dict(degree="B.A.", field="Communications", school="University of Illinois Urbana-Champaign", end="2016",
               fmt="b"),
      ]),
      ("skills", "Skills", [
          (None, ["Salesforce", "HubSpot", "Outreach", "Gong", "LinkedIn Sales Navigator", "MEDDIC",
                  "Solution Selling", "Pipeline Management", "Negotiation", "Account Management"]),
      ]),
      ("awards", "Awards", ["President's Club, Brightline Software (2021, 2023)", "Rookie of the Year, CargoDesk (2018)"]),
  ])

# ------------------------------------------------------------------------------------------ r09
R(id="r09-hr", photo=True, profession="HR business partner", how="lo-docx", dates="slash",
  contact=dict(name="Fatima-Zahra Benali", email="fz.benali@example.fr", phone="+33 6 12 34 56 78",
               location="Lyon, France", links=["linkedin.com/in/fzbenali"]),
  headline="HR Business Partner",
  sections=[
      ("summary", "Profile",
       "HR business partner with 9 years in manufacturing and tech. I support managers through growth, "
       "reorganisations and hard conversations, with a practical grip on French labour law."),
      ("experience", "Professional Experience", [
          dict(title="HR Business Partner", org="Rhône Composites SAS", where="Lyon",
               start="2019-04", end="present",
               bullets=["Partner with 3 site directors (650 employees) on {workforce planning|Workforce Planning} and {organisation design|Organizational Design}",
                        "Led the {HRIS|HRIS} migration to {Workday} for 1,200 employees in France and Spain",
                        "Negotiated 4 {collective agreements|Collective Bargaining} with works councils (CSE)",
                        "Reduced first-year attrition from 22% to 13% with a new {onboarding|Onboarding} programme"]),
          dict(title="HR Generalist", org="Octave Digital", where="Lyon",
               start="2015-01", end="2019-03",
               bullets=["Ran {recruitment|Recruitment} for 80+ tech hires a year using {Greenhouse}",
                        "Managed {payroll|Payroll} inputs and {employee relations|Employee Relations} cases",
                        "Built the first {performance management|Performance Management} cycle and manager training"]),
      ]),
      ("education", "Academic Background", [
          dict(degree="Master", field="Human Resources Management", school="IAE Lyon", end="2014"),
          dict(degree="Licence", field="Economics and Management", school="Université Lumière Lyon 2", end="2012"),
      ]),
      ("skills", "Core Competencies", [
          (None, ["Employee Relations", "French Labour Law", "Talent Acquisition", "Performance Management",
                  "Change Management", "Compensation and Benefits", "Workday", "Greenhouse", "Microsoft Excel"]),
      ]),
      ("languages", "Languages", [("French (native)", "French"), ("Arabic (native)", "Arabic"),
                                  ("English (C1)", "English"), ("Spanish (B2)", "Spanish")]),
      ("volunteering", "Volunteer Work", [
          dict(title="Mentor", org="Association Nos Quartiers ont des Talents", start="2017-01", end="present",
               bullets=["{Mentor|Mentoring} young graduates from priority neighbourhoods in their job search"]),
      ]),
  ])

# ------------------------------------------------------------------------------------------ r10
R(id="r10-logistics", profession="logistics coordinator", how="lo-pdf", dates="mon",
  contact=dict(name="Carlos Eduardo Souza", email="carlos.souza@example.com.br", phone="+55 11 91234-5678",
               location="São Paulo, SP"),
  headline="Logistics & Supply Chain Coordinator",
  sections=[
      ("summary", "Summary",
       "Logistics coordinator with 7 years in distribution centres and transport planning. I run efficient "
       "operations, fix broken workflows and keep carriers honest with data."),
      ("experience", "Employment History", [
          dict(title="Logistics Coordinator", org="Transportes Bandeirantes Ltda.", where="Guarulhos, SP",
               start="2020-06", end="present",
               bullets=["Plan daily routes for a fleet of 85 trucks using {TMS|Transportation Management Systems} data; fuel cost down 9%",
                        "Manage 14 third-party carriers and their service-level agreements",
                        "Implemented {SAP EWM} slotting rules that raised pick productivity 15%",
                        "Build weekly KPI reports in {Power BI} and {Microsoft Excel}"]),
          dict(title="Warehouse Supervisor", org="Armazéns Paulista S.A.", where="Jundiaí, SP",
               start="2017-02", end="2020-05",
               bullets=["Supervised 40 operators across receiving, picking and shipping",
                        "Led {inventory control|Inventory Management} with cycle counts; accuracy rose to 99.6%",
                        "Introduced {5S} and {Kaizen} routines in the office and on the warehouse floor"]),
      ]),
      ("education", "Education", [
          dict(degree="Tecnólogo", field="Logística", school="FATEC Guarulhos", end="2016"),
          dict(degree="MBA", field="Supply Chain Management", school="Fundação Instituto de Administração (FIA)",
               end="2022"),
      ]),
      ("skills", "Skills", [
          (None, ["Supply Chain Management", "Route Planning", "Inventory Management", "Warehouse Management",
                  "SAP EWM", "Power BI", "Microsoft Excel", "Lean", "5S", "Carrier Management"]),
      ]),
      ("languages", "Languages", [("Portuguese (native)", "Portuguese"), ("Spanish (advanced)", "Spanish"),
                                  ("English (intermediate)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r11
R(id="r11-designer", profession="product designer", how="chromium", layout="sidebar",
  side=["skills", "education", "awards", "interests"], dates="year",
  contact=dict(name="Mei-Ling Chen", email="hello@meilingchen.design", phone="+886 912 345 678",
               location="Taipei, Taiwan", links=["meilingchen.design", "dribbble.com/meilingchen"]),
  headline="Product Designer (UI/UX)",
  sections=[
      ("skills", "Toolbox", [
          (None, ["Figma", "Sketch", "Adobe Illustrator", "Adobe Photoshop", "Principle", "Miro", "HTML", "CSS"]),
          ("Methods", ["User Research", "Wireframing", "Prototyping", "Usability Testing", "Design Systems",
                       "Accessibility"]),
      ]),
      ("education", "Education", [
          dict(degree="BFA", field="Visual Communication Design", school="National Taiwan University of Arts",
               end="2015", fmt="b"),
      ]),
      ("awards", "Recognition", ["Golden Pin Design Award, 2021 (digital category)", "Red Dot: Brands & Communication, 2019"]),
      ("interests", "Outside Work", ["Risograph printing", "Night markets", "Bouldering"]),
      ("summary", "Hello!",
       "I design calm, efficient interfaces for complicated products: banking, health, logistics. "
       "Eight years of shipping work in small teams where designers also write the specs."),
      ("experience", "Where I've Worked", [
          dict(title="Senior Product Designer", org="Formosa Fintech", where="Taipei", start="2020", end="present",
               bullets=["Own the design system (180 components in {Figma}) used by 4 product squads",
                        "Redesigned the mobile onboarding flow; completion rose from 61% to 83%",
                        "Plan and run {usability testing|Usability Testing} every sprint with real customers"]),
          dict(title="UI/UX Designer", org="Harbor Health Apps", where="Kaohsiung", start="2017", end="2020",
               bullets=["Designed patient booking apps for 30 clinics; {WCAG|Accessibility} AA compliant",
                        "Built interactive prototypes in {Principle} and {Sketch}"]),
          dict(title="Graphic Designer", org="Studio Pomelo", where="Taipei", start="2015", end="2017",
               bullets=["{Branding} and print work for cafés and festivals, mostly in {Illustrator|Adobe Illustrator}"]),
      ]),
      ("projects", "Selected Projects", [
          ("Tide — open source icon set", "420 icons drawn on a 24 px grid, 3k stars on GitHub"),
          ("Clinic Finder", "volunteer redesign of a city health portal; cut task time in half in testing"),
      ]),
  ])

# ------------------------------------------------------------------------------------------ r12
R(id="r12-legal", profession="corporate lawyer", how="pandoc-docx", dates="full",
  contact=dict(name="Johanna van der Berg", email="j.vanderberg@example.nl", phone="+31 6 12345678",
               location="Amsterdam, Netherlands", links=["linkedin.com/in/johannavanderberg"]),
  headline="Corporate & Commercial Lawyer (Advocaat)",
  sections=[
      ("summary", "Profile",
       "Dutch-qualified lawyer with 8 years in M&A and commercial contracts for technology and life-science "
       "clients. Practical, commercially minded, and quick with a clean first draft."),
      ("experience", "Professional Experience", [
          dict(title="Senior Associate, Corporate M&A", org="Van Dijk Meertens Advocaten", where="Amsterdam",
               start="2019-09", end="present",
               bullets=["Led {due diligence|Due Diligence} and drafted SPAs on 15+ transactions (EUR 5M–400M)",
                        "Advise SaaS clients on {GDPR} compliance, data processing agreements and {contract negotiation|Contract Negotiation}",
                        "Supervise 3 junior associates and the paralegal team's workflow on deal closings"]),
          dict(title="Associate", org="Brandt & Kooistra N.V.", where="Rotterdam",
               start="2016-02", end="2019-08",
               bullets=["Drafted and reviewed supply, distribution and licensing agreements",
                        "Supported {corporate governance|Corporate Governance} work for listed clients"]),
          dict(title="Legal Intern", org="Brandt & Kooistra N.V.", where="Rotterdam", shown="Summer 2014",
               start="2014", end="2014",
               bullets=["Researched case law for litigation teams"]),
      ]),
      ("education", "Education", [
          dict(degree="LL.M.", field="International Business Law", school="Leiden University", end="2015"),
          dict(degree="LL.B.", field="Dutch Law", school="University of Amsterdam", end="2014"),
      ]),
      ("skills", "Skills", [
          (None, ["Mergers and Acquisitions", "Commercial Contracts", "Due Diligence", "GDPR", "Contract Negotiation",
                  "Corporate Governance", "Legal Research", "Legal Drafting"]),
      ]),
      ("certifications", "Admissions", [("Admitted to the Netherlands Bar (Nederlandse Orde van Advocaten), 2016",
                                         "Netherlands Bar Admission")]),
      ("publications", "Publications", [
          "\"Earn-outs after Covid: what changed in Dutch practice\", Tijdschrift voor Ondernemingsrecht, 2022",
      ]),
      ("languages", "Languages", [("Dutch (native)", "Dutch"), ("English (fluent)", "English"),
                                  ("German (good)", "German"), ("French (basic)", "French")]),
  ])

# ------------------------------------------------------------------------------------------ r13
R(id="r13-frontend", profession="frontend engineer", how="chromium", layout="two-column",
  side=["skills", "education", "interests"], dates="apos",
  contact=dict(name="Kwame Mensah", email="kwame.mensah@example.com", phone="+233 24 123 4567",
               location="Accra, Ghana", links=["github.com/kwamemensah", "kwame.dev"]),
  headline="Frontend Engineer — React, TypeScript, accessibility",
  sections=[
      ("summary", "About",
       "{Frontend engineer|Frontend Development} with 6 years building fast, accessible web apps for fintech and e-commerce "
       "across West Africa and Europe. I care about performance budgets, clean component APIs and "
       "interfaces that work on a cheap Android phone over a slow 3G connection."),
      ("experience", "Experience", [
          dict(title="Senior Frontend Engineer", org="Paystream Africa", where="Accra (remote-first)",
               start="2022-01", end="present",
               bullets=["Lead the {React} + {TypeScript} rewrite of the merchant dashboard used by 90k businesses",
                        "Cut bundle size 47% with code splitting and {Vite}; Lighthouse performance score 58 → 94",
                        "Built the {design system|Design Systems} in {Storybook} with {Tailwind CSS}; wrote {Jest} and {Playwright} tests",
                        "Introduced {GraphQL} with {Apollo Client|Apollo} for the reporting pages"]),
          dict(title="Frontend Developer", org="Kente Commerce", where="Accra",
               start="2019-03", end="2021-12",
               bullets=["Built storefront features in {Vue.js} and {Nuxt}; checkout conversion up 12%",
                        "Made the storefront {WCAG 2.1|Accessibility} AA compliant",
                        "Set up {GitHub Actions} pipelines and {Sentry} error tracking"]),
          dict(title="Web Developer (contract)", org="Osu Creative", where="Accra",
               start="2018-05", end="2019-02",
               bullets=["Built marketing sites with {HTML}, {Sass} and {JavaScript}; integrated {WordPress} themes"]),
      ]),
      ("projects", "Open Source", [
          ("cedi-format", "a tiny {TypeScript} library for formatting Ghanaian cedi amounts; 1.2k weekly downloads on {npm}"),
      ]),
      ("skills", "Skills", [
          ("Frontend", ["React", "TypeScript", "JavaScript", "Vue.js", "Next.js", "HTML", "CSS", "Tailwind CSS"]),
          ("Testing", ["Jest", "Playwright", "Testing Library|React Testing Library"]),
          ("Tooling", ["Vite", "Webpack", "Storybook", "Git", "GitHub Actions"]),
          ("Also", ["Node.js", "GraphQL", "Web Performance", "Accessibility"]),
      ]),
      ("education", "Education", [
          dict(degree="BSc", field="Computer Science", school="Kwame Nkrumah University of Science and Technology",
               end="2018", fmt="b"),
      ]),
      ("interests", "Interests", ["Football (Hearts of Oak, sadly)", "Highlife music", "Teaching kids to code"]),
  ])

# ------------------------------------------------------------------------------------------ r14
R(id="r14-devops", profession="DevOps / site reliability engineer", how="lualatex", dates="iso",
  contact=dict(name="Björn Lindqvist", email="bjorn.lindqvist@example.se", phone="+46 70 123 45 67",
               location="Göteborg, Sweden", links=["github.com/blindqvist", "linkedin.com/in/bjornlindqvist"]),
  headline="Site Reliability Engineer",
  sections=[
      ("summary", "Summary",
       "SRE with 10 years in operations, the last six running {Kubernetes} platforms on {AWS} and {Azure}. "
       "I automate toil away, write postmortems nobody is blamed in and keep the on-call rota humane."),
      ("experience", "Work Experience", [
          dict(title="Staff Site Reliability Engineer", org="Volvik Connected Vehicles AB", where="Göteborg",
               start="2021-04", end="present",
               bullets=["Run 14 {EKS|Amazon EKS} clusters serving 2M connected cars; 99.97% availability in 2024",
                        "Built the platform team's {Terraform} modules and {Atlantis} workflow; 600+ applies a month",
                        "Rolled out {Prometheus}, {Grafana} and {OpenTelemetry} tracing; MTTR down from 70 to 25 minutes",
                        "Led {incident management|Incident Management} and wrote the {SLO|Service Level Objectives} policy used by 30 teams"]),
          dict(title="DevOps Engineer", org="Skärgård Betting Technology", where="Stockholm",
               start="2017-09", end="2021-03",
               bullets=["Migrated on-prem {VMware} workloads to {Azure} and {AKS|Azure Kubernetes Service}",
                        "Replaced {Jenkins} with {GitLab CI}; build times halved",
                        "Wrote {Ansible} playbooks for 400 {Linux} hosts and {Bash} tooling for the office"]),
          dict(title="Systems Administrator", org="Lindholmen Hosting", where="Göteborg",
               start="2014-06", end="2017-08",
               bullets=["Ran {Linux} web hosting for 2,000 customers; {Nginx}, {MySQL}, {Postfix}",
                        "Automated backups and monitoring with {Python} and {Nagios}"]),
      ]),
      ("skills", "Technical Skills", [
          ("Cloud", ["AWS", "Azure", "Kubernetes", "Helm", "Terraform", "Docker"]),
          ("Observability", ["Prometheus", "Grafana", "OpenTelemetry", "ELK Stack"]),
          ("Automation", ["Ansible", "Python", "Go", "Bash", "GitLab CI", "Argo CD"]),
          ("Practice", ["Site Reliability Engineering", "Incident Management", "Capacity Planning", "Linux"]),
      ]),
      ("certifications", "Certifications", [
          ("AWS Certified Solutions Architect – Professional (2022)", "AWS Certified Solutions Architect – Professional"),
          ("Certified Kubernetes Administrator (CKA) (2020)", "Certified Kubernetes Administrator"),
          ("HashiCorp Certified: Terraform Associate (2021)", "HashiCorp Certified: Terraform Associate"),
      ]),
      ("education", "Education", [
          dict(degree="Högskoleingenjör (B.Sc. Eng.)", field="Computer Engineering", school="Chalmers University of Technology",
               end="2014"),
      ]),
      ("languages", "Languages", [("Swedish (native)", "Swedish"), ("English (fluent)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r15
R(id="r15-pharmacist", profession="clinical pharmacist", how="txt", txt="odd", dates="mon",
  contact=dict(name="Chioma Okafor", email="chioma.okafor@example.ng", phone="+234 803 123 4567",
               location="Lagos, Nigeria"),
  headline="Clinical Pharmacist, PharmD",
  sections=[
      ("summary", "Professional Summary",
       "Clinical pharmacist with 7 years in hospital and community practice. Skilled in "
       "{medication therapy management|Medication Therapy Management}, {antimicrobial stewardship|Antimicrobial Stewardship} "
       "and counselling patients with chronic disease."),
      ("experience", "Professional Experience", [
          dict(title="Senior Clinical Pharmacist", org="Lagoon Teaching Hospital", where="Lagos",
               start="2020-01", end="present",
               bullets=["Review medication charts on medical and ICU wards; about 60 interventions a week",
                        "Chair the {antimicrobial stewardship|Antimicrobial Stewardship} committee; carbapenem use fell 30%",
                        "Run {pharmacovigilance|Pharmacovigilance} reporting to NAFDAC",
                        "Train pharmacy interns in {clinical pharmacy|Clinical Pharmacy} and {TDM|Therapeutic Drug Monitoring}"]),
          dict(title="Pharmacist", org="HealthPlus Pharmacy", where="Abuja",
               start="2017-02", end="2019-12",
               bullets=["{Dispensing|Dispensing} and {patient counselling|Patient Counseling} for 150+ patients a day",
                        "Managed {inventory|Inventory Management} and controlled-drug registers"]),
      ]),
      ("education", "Education", [
          dict(degree="Doctor of Pharmacy (PharmD)", field=None, school="University of Nigeria, Nsukka", end="2016"),
      ]),
      ("certifications", "Licenses & Certifications", [
          ("Registered Pharmacist, Pharmacists Council of Nigeria (PCN), 2016", "PCN Registered Pharmacist"),
          ("Basic Life Support (BLS), 2023", "Basic Life Support"),
      ]),
      ("skills", "Skills", [
          (None, ["Clinical Pharmacy", "Medication Therapy Management", "Antimicrobial Stewardship",
                  "Pharmacovigilance", "Therapeutic Drug Monitoring", "Patient Counseling", "Dispensing",
                  "Microsoft Excel"]),
      ]),
      ("references", "References", "Dr. A. Bello, Head of Pharmacy, Lagoon Teaching Hospital — details on request."),
  ])

# ------------------------------------------------------------------------------------------ r16
R(id="r16-civil-eng", bold_headings=True, profession="civil / structural engineer", how="lo-docx-table", dates="slash",
  contact=dict(name="Ana Beatriz Duarte", email="anabeatriz.duarte@example.pt", phone="+351 912 345 678",
               location="Porto, Portugal", links=["linkedin.com/in/anabduarte"]),
  headline="Structural Engineer (Engenheira Civil)",
  sections=[
      ("summary", "Summary",
       "Structural engineer with 9 years designing reinforced concrete and steel buildings, bridges and "
       "retrofits. Chartered with the Ordem dos Engenheiros; used to site work and to explaining "
       "calculations to architects."),
      ("experience", "Professional Experience", [
          dict(title="Senior Structural Engineer", org="Douro Engenharia, Lda.", where="Porto",
               start="2019-01", end="present",
               bullets=["Lead structural design of residential and hospital buildings up to 14 storeys",
                        "Model and check structures in {SAP2000}, {Robot Structural Analysis|Autodesk Robot Structural Analysis} and {ETABS}",
                        "Coordinate {BIM} models in {Revit} with architects and MEP teams",
                        "Apply {Eurocodes} EC2, EC3 and EC8 seismic design"]),
          dict(title="Structural Engineer", org="Atlântica Projetos", where="Lisboa",
               start="2015-09", end="2018-12",
               bullets=["Designed bridge retrofits and precast concrete elements",
                        "Produced drawings in {AutoCAD} and supervised construction sites",
                        "Prepared bills of quantities and {cost estimates|Cost Estimation}"]),
      ]),
      ("education", "Education", [
          dict(degree="Mestrado Integrado (MSc)", field="Civil Engineering", school="Faculdade de Engenharia da Universidade do Porto (FEUP)",
               end="2015", gpa="16", gpa_word="Final grade", gpa_scale="/20"),
      ]),
      ("skills", "Technical Skills", [
          ("Software", ["SAP2000", "ETABS", "Robot Structural Analysis|Autodesk Robot Structural Analysis", "Revit", "AutoCAD",
                        "Microsoft Excel"]),
          ("Engineering", ["Structural Analysis", "Reinforced Concrete Design", "Steel Design", "Seismic Design",
                           "Eurocodes", "BIM", "Site Supervision"]),
      ]),
      ("certifications", "Certifications", [("Ordem dos Engenheiros — Member, Civil Engineering (2016)",
                                             "Ordem dos Engenheiros Chartered Engineer")]),
      ("languages", "Languages", [("Portuguese (native)", "Portuguese"), ("English (C1)", "English"),
                                  ("French (B1)", "French")]),
  ])

# ------------------------------------------------------------------------------------------ r17
R(id="r17-financial-analyst", profession="financial analyst", how="pandoc-docx", dates="iso", present="present",
  contact=dict(name="Hiroshi Tanaka", email="hiroshi.tanaka@example.jp", phone="+81 90-1234-5678",
               location="Tokyo, Japan", links=["linkedin.com/in/hiroshi-tanaka-cfa"]),
  headline="Financial Analyst — FP&A and valuation",
  sections=[
      ("summary", "Summary",
       "Financial analyst with 5 years in {FP&A} and {equity research|Equity Research}. Builds clear three-statement models "
       "and writes the memo that goes with them. CFA charterholder."),
      ("experience", "Work Experience", [
          dict(title="Senior FP&A Analyst", org="Kasumi Robotics K.K.", where="Tokyo",
               start="2021-10", end="present",
               bullets=["Own the monthly forecast and variance analysis for a JPY 40bn business unit",
                        "Built the long-range plan model in {Microsoft Excel} and automated data pulls with {Python} and {SQL}",
                        "Introduced {Tableau} dashboards for the executive committee",
                        "Support {M&A|Mergers and Acquisitions} screening with {DCF|Discounted Cash Flow} and comparable-company {valuation|Valuation}"]),
          dict(title="Equity Research Associate", org="Marunouchi Securities", where="Tokyo",
               start="2019-04", end="2021-09",
               bullets=["Covered 12 industrial stocks; built earnings models and wrote initiation reports",
                        "Used {Bloomberg Terminal} and {FactSet} daily"]),
      ]),
      ("education", "Education", [
          dict(degree="Bachelor of Economics", field=None, school="Keio University", end="2019"),
      ]),
      ("skills", "Skills", [
          (None, ["Financial Modeling", "FP&A", "Variance Analysis", "Valuation", "Discounted Cash Flow",
                  "Microsoft Excel", "Python", "SQL", "Tableau", "Bloomberg Terminal", "FactSet", "SAP"]),
      ]),
      ("certifications", "Certifications", [("CFA Charterholder (2023)", "CFA")]),
      ("languages", "Languages", [("Japanese (native)", "Japanese"), ("English (TOEIC 955)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r18
R(id="r18-customer-support", profession="customer support team lead", how="txt", txt="plain", dates="full",
  contact=dict(name="Emily Carter", email="emily.carter@example.com.au", phone="0412 345 678",
               location="Brisbane QLD"),
  sections=[
      ("summary", "About Me",
       "Customer support lead with 6 years in SaaS help desks. I like fixing the process behind the ticket. "
       "Calm, organised, big on {written communication|Written Communication}."),
      ("experience", "Work History", [
          dict(title="Customer Support Team Lead", org="Wattle Payroll Software", where="Brisbane",
               start="2021-07", end="present",
               bullets=["Lead 9 support agents across chat, email and phone; CSAT 94%",
                        "Rebuilt the help centre in {Zendesk} and cut repeat contacts by 22%",
                        "Write macros, SLAs and escalation paths with the product and engineering teams",
                        "Report weekly on ticket trends using {Zendesk Explore} and {Google Sheets}"]),
          dict(title="Customer Support Specialist", org="Wattle Payroll Software", where="Brisbane",
               start="2019-03", end="2021-06",
               bullets=["Resolved 60+ tickets a day; Tier 2 for payroll and single touch payroll issues",
                        "Trained new starters on {troubleshooting|Troubleshooting} and {Jira} bug reporting"]),
          dict(title="Retail Customer Service Assistant", org="Southbank Books", where="Brisbane",
               start="2017-01", end="2019-02",
               bullets=["Served customers, handled returns and ran the point-of-sale system"]),
      ]),
      ("education", "Education", [
          dict(degree="Bachelor of Arts", field="Communication", school="Griffith University", end="2016"),
      ]),
      ("skills", "Skills", [
          (None, ["Zendesk", "Intercom", "Jira", "Confluence", "Google Sheets", "Customer Service", "Team Leadership",
                  "Troubleshooting", "Written Communication", "Conflict Resolution"]),
      ]),
      ("references", "References", "Available on request"),
  ])

# ------------------------------------------------------------------------------------------ r19
R(id="r19-project-manager", profession="IT project manager", how="lo-pdf", dates="mon",
  contact=dict(name="Siobhán Ní Bhriain", email="siobhan.nibhriain@example.ie", phone="+353 87 123 4567",
               location="Dublin, Ireland", links=["linkedin.com/in/siobhannibhriain"]),
  headline="IT Project Manager, PMP",
  sections=[
      ("summary", "Profile",
       "Project manager with 11 years delivering IT programmes in banking and public sector: "
       "core system migrations, office moves and cloud adoption. Certified PMP and Scrum Master; "
       "comfortable with both {Agile} and {Waterfall} and honest status reports."),
      ("experience", "Employment History", [
          dict(title="Senior IT Project Manager", org="Liffey Mutual Bank", where="Dublin",
               start="2019-05", end="present",
               bullets=["Delivered the EUR 9M migration of the card platform to a new provider, on time and 4% under budget",
                        "Run a portfolio of 6 projects with {Jira} and {Microsoft Project}; monthly steering committee reporting",
                        "Introduced {risk management|Risk Management} and {RAID logs|RAID Management} across the PMO",
                        "Managed vendor contracts and {stakeholder management|Stakeholder Management} with 3 business units"]),
          dict(title="Project Manager", org="Department of Public Services (contract via Clarion Consulting)",
               where="Dublin", start="2015-02", end="2019-04",
               bullets=["Ran the move of 1,100 staff to a new head office with zero downtime for citizen services",
                        "Led {Scrum} teams delivering an online licence-renewal service"]),
          dict(title="Business Analyst", org="Clarion Consulting", where="Cork", start="2012-09", end="2015-01",
               bullets=["Wrote {requirements|Requirements Gathering} and {UAT|User Acceptance Testing} plans for insurance clients"]),
      ]),
      ("education", "Education", [
          dict(degree="BSc", field="Business Information Systems", school="University College Cork", end="2012", fmt="b"),
      ]),
      ("certifications", "Certifications", [
          ("Project Management Professional (PMP), PMI — 2017", "PMP"),
          ("Professional Scrum Master I (PSM I) — 2018", "PSM I"),
          ("PRINCE2 Practitioner — 2016", "PRINCE2 Practitioner"),
      ]),
      ("skills", "Core Competencies", [
          (None, ["Project Management", "Programme Management|Program Management", "Agile", "Scrum", "Waterfall",
                  "Risk Management", "Stakeholder Management", "Budget Management", "Vendor Management",
                  "Jira", "Confluence", "Microsoft Project", "Leadership"]),
      ]),
      ("languages", "Languages", [("English (native)", "English"), ("Irish (fluent)", "Irish")]),
  ])

# ------------------------------------------------------------------------------------------ r20
R(id="r20-ml-engineer", profession="machine learning engineer", how="chromium", layout="sidebar",
  side=["skills", "education", "languages", "certifications"], dates="mon",
  contact=dict(name="Ahmed Hassan", email="ahmed.hassan.ml@example.org", phone="+20 10 1234 5678",
               location=None, links=["github.com/ahmedhassan-ml", "huggingface.co/ahmedhassan"]),
  headline="Machine Learning Engineer · NLP · Remote",
  sections=[
      ("skills", "Technical Skills", [
          ("ML", ["Machine Learning", "PyTorch", "TensorFlow", "Hugging Face Transformers", "scikit-learn", "NLP|Natural Language Processing",
                  "LLMs|Large Language Models", "MLOps"]),
          ("Engineering", ["Python", "C++", "FastAPI", "Docker", "Kubernetes", "AWS", "SageMaker|Amazon SageMaker",
                           "MLflow", "PostgreSQL"]),
      ]),
      ("education", "Education", [
          dict(degree="M.Sc.", field="Computer Engineering", school="Cairo University", end="2018", fmt="b"),
          dict(degree="B.Sc.", field="Computer Engineering", school="Cairo University", end="2015", fmt="b",
               gpa="3.7", gpa_scale="/4"),
      ]),
      ("languages", "Languages", [("Arabic — native", "Arabic"), ("English — fluent", "English")]),
      ("certifications", "Certifications", [("AWS Certified Machine Learning – Specialty (2022)",
                                             "AWS Certified Machine Learning – Specialty")]),
      ("summary", "Summary",
       "ML engineer with 7 years taking {NLP|Natural Language Processing} models from notebook to production. "
       "Arabic-language NLP is my speciality: tokenisation, dialect identification, retrieval."),
      ("experience", "Experience", [
          dict(title="Senior Machine Learning Engineer", org="Nile Language Technologies", where="Cairo (remote)",
               start="2021-02", end="present",
               bullets=["Fine-tuned {Transformer|Hugging Face Transformers} models for Arabic customer-support triage (F1 0.71 → 0.88)",
                        "Built a {RAG|Retrieval-Augmented Generation} search service with {FastAPI}, {pgvector} and {PostgreSQL}",
                        "Set up {MLflow} experiment tracking and a model registry; deploys through {Kubernetes}",
                        "Cut GPU inference cost 40% with quantisation and batching in {PyTorch}"]),
          dict(title="Machine Learning Engineer", org="Souq Insights", where="Cairo",
               start="2018-07", end="2021-01",
               bullets=["Trained product categorisation models on 20M listings with {TensorFlow}",
                        "Deployed models on {AWS} with {SageMaker|Amazon SageMaker} and {Docker}"]),
          dict(title="Teaching Assistant", org="Cairo University", where="Giza",
               start="2015-09", end="2018-06",
               bullets=["Taught lab sessions for Data Structures and Machine Learning courses in {C++} and {Python}"]),
      ]),
      ("publications", "Publications", [
          "A. Hassan, M. Fahmy. \"Dialect-aware tokenisation for Arabic customer support\". WANLP Workshop, 2022.",
      ]),
  ])

# ------------------------------------------------------------------------------------------ r21
R(id="r21-electrician", profession="licensed electrician", how="txt", txt="caps", dates="year", encoding="cp1252",
  contact=dict(name="Dale Whitfield", email="dale.whitfield.electric@example.ca", phone="(416) 555-0199",
               location="Toronto, ON"),
  headline="Licensed Electrician (309A)",
  sections=[
      ("summary", "Summary",
       "Red Seal electrician with 12 years in commercial and industrial work. Safe, tidy and good "
       "with apprentices."),
      ("experience", "Work Experience", [
          dict(title="Lead Electrician", org="Great Lakes Electrical Contractors", where="Toronto, ON",
               start="2016", end="present",
               bullets=["Run crews of 4–8 on commercial fit-outs and factory upgrades up to 600 V",
                        "Install and troubleshoot {PLC|Programmable Logic Controllers} panels, motor controls and VFDs",
                        "Read blueprints and apply the {Ontario Electrical Safety Code}",
                        "Lead daily toolbox talks and {lockout/tagout|Lockout/Tagout} procedures"]),
          dict(title="Electrician", org="Humber Valley Electric", where="Mississauga, ON",
               start="2012", end="2016",
               bullets=["Residential and light commercial wiring, service upgrades and {fire alarm systems|Fire Alarm Systems}"]),
          dict(title="Electrical Apprentice", org="Humber Valley Electric", where="Mississauga, ON",
               start="2008", end="2012",
               bullets=["Completed 9,000 hours of apprenticeship"]),
      ]),
      ("certifications", "Licenses & Certifications", [
          ("Certificate of Qualification 309A — Construction and Maintenance Electrician (Red Seal), 2012",
           "309A Construction and Maintenance Electrician (Red Seal)"),
          ("Working at Heights, 2023", "Working at Heights"),
          ("WHMIS, 2023", "WHMIS"),
      ]),
      ("skills", "Skills", [
          (None, ["Blueprint Reading", "Conduit Bending", "Motor Controls", "Variable Frequency Drives",
                  "Programmable Logic Controllers", "Troubleshooting", "Lockout/Tagout", "Fire Alarm Systems",
                  "Ontario Electrical Safety Code"]),
      ]),
      ("education", "Education & Training", [
          dict(degree="Electrical Techniques Certificate", field=None, school="George Brown College", end="2008"),
      ]),
  ])

# ------------------------------------------------------------------------------------------ r22
R(id="r22-chef", profession="head chef", how="pandoc-docx", dates="year",
  contact=dict(name="François Lefèvre", email="francois.lefevre@example.be", phone="+32 470 12 34 56",
               location="Brussels, Belgium", links=["instagram.com/chef.francois.lefevre"]),
  headline="Head Chef",
  sections=[
      ("summary", "Profile",
       "Head chef with 14 years in bistro and fine dining kitchens in Lyon, Paris and Brussels. "
       "Seasonal, local, zero-waste where possible. I build calm kitchens and train people to stay."),
      ("experience", "Experience", [
          dict(title="Head Chef", org="Maison Sablon", where="Brussels", start="2019", end="present",
               bullets=["Run a brigade of 11 in a 70-cover restaurant; Michelin Bib Gourmand 2021–2024",
                        "Design seasonal menus and control food cost at 27%",
                        "Introduced {HACCP} digital logging and a {food waste reduction|Food Waste Reduction} plan"]),
          dict(title="Sous Chef", org="Le Comptoir des Halles", where="Paris", start="2014", end="2019",
               bullets=["Ran the pass, ordering and {inventory management|Inventory Management}",
                        "Trained commis chefs in {pastry|Pastry} and sauce sections"]),
          dict(title="Chef de Partie", org="Brasserie du Rhône", where="Lyon", start="2010", end="2014",
               bullets=["Fish and sauce sections in a 200-cover brasserie"]),
      ]),
      ("custom", "Signature Dishes", [
          "Grey shrimp croquettes with smoked butter",
          "Waterzooi of North Sea fish, saffron and leek",
      ]),
      ("education", "Training", [
          dict(degree="CAP Cuisine", field=None, school="Institut Paul Bocuse", end="2010"),
      ]),
      ("skills", "Skills", [
          (None, ["Menu Development", "French Cuisine", "Food Cost Control", "Kitchen Management", "HACCP",
                  "Staff Training", "Inventory Management", "Pastry"]),
      ]),
      ("languages", "Languages", [("French (native)", "French"), ("Dutch (intermediate)", "Dutch"),
                                  ("English (good)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r23
R(id="r23-social-worker", bold_headings=True, profession="clinical social worker", how="lo-docx", dates="slash",
  contact=dict(name="Tamar Cohen", email="tamar.cohen@example.org.il", phone="+972 52-123-4567",
               location="Haifa, Israel"),
  headline="Clinical Social Worker (MSW)",
  sections=[
      ("summary", "Summary",
       "Licensed clinical social worker with 8 years in hospital and community mental health settings. "
       "Trained in {CBT|Cognitive Behavioral Therapy} and {trauma-informed care|Trauma-Informed Care}; "
       "I work in Hebrew, English and Russian."),
      ("experience", "Professional Experience", [
          dict(title="Clinical Social Worker", org="Carmel Community Mental Health Centre", where="Haifa",
               start="2019-03", end="present",
               bullets=["Carry a caseload of 35 adults with severe mental illness; individual and group therapy",
                        "Lead {crisis intervention|Crisis Intervention} for the walk-in service",
                        "Coordinate {case management|Case Management} with psychiatry, housing and employment services"]),
          dict(title="Hospital Social Worker", org="Bnei Zion Medical Centre", where="Haifa",
               start="2016-01", end="2019-02",
               bullets=["{Discharge planning|Discharge Planning} and family support on internal medicine and oncology wards",
                        "Ran {psychosocial assessments|Psychosocial Assessment} and child-protection referrals"]),
      ]),
      ("education", "Education", [
          dict(degree="MSW", field="Clinical Social Work", school="University of Haifa", end="2015"),
          dict(degree="BSW", field="Social Work", school="University of Haifa", end="2013"),
      ]),
      ("certifications", "Licenses & Certifications", [
          ("Licensed Social Worker, Israel Ministry of Welfare, 2013", "Licensed Social Worker"),
          ("CBT Practitioner Certificate, 2018", "CBT Practitioner Certificate"),
      ]),
      ("skills", "Skills", [
          (None, ["Case Management", "Crisis Intervention", "Cognitive Behavioral Therapy", "Trauma-Informed Care",
                  "Psychosocial Assessment", "Group Therapy", "Motivational Interviewing", "Documentation"]),
      ]),
      ("languages", "Languages", [("Hebrew (native)", "Hebrew"), ("English (fluent)", "English"),
                                  ("Russian (fluent)", "Russian")]),
      ("volunteering", "Volunteer Work", [
          dict(title="Crisis Line Volunteer", org="ERAN Emotional First Aid", start="2012-01", end="2016-12",
               bullets=["Answered night shifts on the emotional support hotline"]),
      ]),
  ])

# ------------------------------------------------------------------------------------------ r24
R(id="r24-qa-engineer", profession="QA automation engineer", how="lo-docx", dates="mon",
  contact=dict(name="Oksana Shevchenko", email="oksana.shevchenko@example.com", phone="+380 67 123 4567",
               location="Lviv, Ukraine", links=["linkedin.com/in/oksana-shevchenko-qa", "github.com/oshevchenko"]),
  headline="QA Automation Engineer",
  sections=[
      ("summary", "Summary",
       "{QA|Quality Assurance} engineer with 6 years in {manual|Manual Testing} and {automated testing|Test Automation} of web and mobile apps. I build test "
       "frameworks developers actually run, and I am stubborn about flaky tests."),
      ("experience", "Work Experience", [
          dict(title="Senior QA Automation Engineer", org="Lvivsoft Solutions", where="Lviv",
               start="2021-01", end="present",
               bullets=["Built a {Playwright} + {TypeScript} end-to-end framework: 1,400 tests, 12 minutes in parallel",
                        "Added {API testing|API Testing} with {Postman} and {REST Assured} to the {CI/CD} pipeline in {Jenkins}",
                        "Ran {performance testing|Performance Testing} with {k6} before each major release",
                        "Coach developers on testing pyramids and review test code"]),
          dict(title="QA Engineer", org="Carpathian Mobile", where="Lviv",
               start="2018-06", end="2020-12",
               bullets=["Automated {Android and iOS tests|Mobile Testing} with {Appium} and {Java}",
                        "Wrote test plans and tracked defects in {Jira} and {TestRail}"]),
          dict(title="Manual Tester", org="Carpathian Mobile", where="Lviv", start="2017-09", end="2018-05",
               bullets=["{Manual testing|Manual Testing}, {regression testing|Regression Testing} and {exploratory testing|Exploratory Testing}"]),
      ]),
      ("education", "Education", [
          dict(degree="Bachelor", field="Applied Mathematics", school="Ivan Franko National University of Lviv",
               end="2017"),
      ]),
      ("skills", "Skills", [
          ("Automation", ["Playwright", "Selenium", "Cypress", "Appium", "REST Assured", "Postman", "k6"]),
          ("Languages", ["TypeScript", "JavaScript", "Java", "Python", "SQL"]),
          ("Process", ["Test Planning", "Regression Testing", "API Testing", "Performance Testing", "Agile",
                       "Jira", "TestRail", "Jenkins", "Git"]),
      ]),
      ("certifications", "Certifications", [("ISTQB Certified Tester Foundation Level (CTFL), 2018", "ISTQB CTFL")]),
      ("languages", "Languages", [("Ukrainian (native)", "Ukrainian"), ("English (C1)", "English"),
                                  ("Polish (B2)", "Polish")]),
  ])

# ------------------------------------------------------------------------------------------ r25
R(id="r25-product-manager", profession="product manager", how="chromium", layout="two-column",
  side=["skills", "education", "languages", "awards"], dates="full",
  contact=dict(name="Sofía Hernández", email="sofia.hernandez@example.mx", phone="+52 55 1234 5678",
               location="Ciudad de México, CDMX", links=["linkedin.com/in/sofiahernandezpm"]),
  headline="Senior Product Manager — marketplaces & payments",
  sections=[
      ("summary", "Summary",
       "Product manager with 8 years in marketplaces and fintech in Latin America. I turn fuzzy problems into "
       "shippable bets, run efficient discovery and keep engineering, design and the affiliate network "
       "pointed at the same number."),
      ("experience", "Professional Experience", [
          dict(title="Senior Product Manager, Payments", org="Mercado Verde", where="Ciudad de México",
               start="2021-02", end="present",
               bullets=["Own checkout and payouts for 45k sellers; launched instant payouts used by 60% of them",
                        "Raised payment approval rate from 81% to 89% with {A/B testing|A/B Testing} and smarter retries",
                        "Write PRDs, run {user research|User Research} and prioritise with {OKRs}",
                        "Analyse funnels in {Amplitude} and {SQL}"]),
          dict(title="Product Manager", org="Rutas Delivery", where="Guadalajara",
               start="2018-01", end="2021-01",
               bullets=["Launched courier app features in 9 cities; reduced failed deliveries 17%",
                        "Ran discovery interviews and {roadmap|Product Roadmapping} planning in {Jira} and {Productboard}"]),
          dict(title="Business Analyst", org="Consultoría Norte", where="Monterrey",
               start="2016-07", end="2017-12",
               bullets=["Built pricing models in {Microsoft Excel} for retail clients"]),
      ]),
      ("skills", "Skills", [
          (None, ["Product Strategy", "Product Discovery", "Product Roadmapping", "A/B Testing", "User Research",
                  "OKRs", "SQL", "Amplitude", "Jira", "Figma", "Agile", "Stakeholder Management"]),
      ]),
      ("education", "Education", [
          dict(degree="Ingeniería Industrial", field=None, school="Tecnológico de Monterrey", end="2016"),
      ]),
      ("languages", "Languages", [("Spanish (native)", "Spanish"), ("English (fluent)", "English"),
                                  ("Portuguese (intermediate)", "Portuguese")]),
      ("awards", "Awards", ["Mercado Verde Builder Award, 2022"]),
  ])

# ------------------------------------------------------------------------------------------ r26
R(id="r26-research-scientist", profession="molecular biology research scientist", how="pdflatex", dates="dot",
  contact=dict(name="Dr. Ingrid Müller", email="ingrid.mueller@example.de", phone="+49 151 23456789",
               location="Heidelberg, Germany", links=["orcid.org/0000-0002-1825-0097"]),
  headline="Research Scientist — molecular and cell biology",
  sections=[
      ("summary", "Research Profile",
       "Molecular biologist with a PhD and 6 years of postdoctoral research on DNA repair in cancer cells. "
       "Hands-on with {CRISPR-Cas9|CRISPR}, {qPCR}, {flow cytometry|Flow Cytometry} and {confocal microscopy|Confocal Microscopy}; "
       "analyses her own sequencing data in {R} and {Python}."),
      ("experience", "Research Experience", [
          dict(title="Postdoctoral Research Fellow", org="Deutsches Institut für Zellforschung", where="Heidelberg",
               start="2019-10", end="present",
               bullets=["Lead a CRISPR screen project on DNA repair genes; 2 first-author papers",
                        "Run {RNA-seq} analysis pipelines in {R} ({DESeq2}) and {Python}",
                        "Supervise 2 PhD students and 3 master's students; manage the lab's {cell culture|Cell Culture} facility",
                        "Co-wrote a successful DFG grant (EUR 480k)"]),
          dict(title="Doctoral Researcher", org="Universität Freiburg, Institut für Biologie", where="Freiburg",
               start="2015-10", end="2019-09",
               bullets=["Characterised repair-pathway mutants using {Western blotting|Western Blot}, {qPCR} and {immunofluorescence|Immunofluorescence}",
                        "Taught undergraduate lab courses in molecular biology"]),
      ]),
      ("education", "Education", [
          dict(degree="Dr. rer. nat. (PhD)", field="Biology", school="Universität Freiburg", end="2019",
               gpa="magna cum laude", gpa_label=None, gpa_word="Grade", gpa_scale=""),
          dict(degree="M.Sc.", field="Molecular Medicine", school="Universität Heidelberg", end="2015", fmt="b"),
      ]),
      ("publications", "Selected Publications", [
          "Müller I., Okonkwo P., Brandt S. (2023). A CRISPR screen maps PARP-inhibitor resistance. Nucleic Acids Research 51: 4410–4425.",
          "Müller I., Hartmann K. (2021). Replication stress in BRCA2-deficient cells. Cell Reports 35: 109201.",
      ]),
      ("awards", "Awards", ["EMBO Postdoctoral Fellowship, 2020", "Freiburg Doctoral Prize, 2019"]),
      ("skills", "Methods", [
          (None, ["CRISPR", "Cell Culture", "qPCR", "Western Blot", "Flow Cytometry", "Confocal Microscopy",
                  "Immunofluorescence", "RNA-seq", "R", "Python", "Grant Writing", "Scientific Writing"]),
      ]),
      ("languages", "Languages", [("German (native)", "German"), ("English (fluent)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r27
R(id="r27-admin-assistant", profession="executive / administrative assistant", how="txt", txt="odd", dates="slash", bom=True,
  contact=dict(name="Grace Wanjiru", email="grace.wanjiru@example.co.ke", phone="+254 712 345678",
               location="Nairobi, Kenya"),
  headline="Executive Assistant",
  sections=[
      ("summary", "Career Objective",
       "Organised executive assistant with 6 years supporting directors in NGOs and finance. I keep diaries, "
       "travel and board papers under control and the office running smoothly."),
      ("experience", "Work Experience", [
          dict(title="Executive Assistant to the Country Director", org="Savanna Health Alliance", where="Nairobi",
               start="2020-08", end="present",
               bullets=["Manage the director's calendar, travel and {expense reports|Expense Reporting}",
                        "Prepare board papers and minutes for quarterly meetings",
                        "Coordinate events for up to 250 guests; handle vendor contracts",
                        "Maintain files in {SharePoint} and records in {Microsoft Excel}"]),
          dict(title="Administrative Assistant", org="Kilimani Capital Ltd", where="Nairobi",
               start="2017-05", end="2020-07",
               bullets=["Reception, correspondence and {data entry|Data Entry} in {QuickBooks}",
                        "Organised office supplies and the petty cash book"]),
      ]),
      ("education", "Education", [
          dict(degree="Diploma", field="Business Administration", school="Kenya Institute of Management", end="2016"),
      ]),
      ("skills", "Skills", [
          (None, ["Calendar Management", "Travel Coordination", "Minute Taking", "Event Planning",
                  "Microsoft Office", "Microsoft Excel", "Microsoft Outlook", "SharePoint", "QuickBooks",
                  "Typing (65 wpm)|Typing", "Confidentiality"]),
      ]),
      ("languages", "Languages", [("English", "English"), ("Kiswahili", "Swahili"), ("Kikuyu", "Kikuyu")]),
      ("references", "Referees", [
          "Dr. P. Otieno, Country Director, Savanna Health Alliance — p.otieno@example.org",
          "Ms. J. Kamau, Finance Manager, Kilimani Capital Ltd — +254 722 000111",
      ]),
  ])

# ------------------------------------------------------------------------------------------ r28
R(id="r28-cybersecurity", profession="security analyst", how="pandoc-pdf", dates="mon",
  contact=dict(name="Liam Nakamura-Jones", email="liam.nj@example.co.nz", phone="+64 21 123 4567",
               location="Wellington, New Zealand", links=["github.com/liam-nj"]),
  headline="Security Operations Analyst",
  sections=[
      ("summary", "Summary",
       "Security analyst with 5 years in a 24/7 SOC and incident response. Efficient at triage, patient "
       "with root-cause work, and the office's unofficial phishing trainer."),
      ("experience", "Experience", [
          dict(title="Senior SOC Analyst", org="Kiwi Cyber Defence", where="Wellington",
               start="2022-03", end="present",
               bullets=["Triage alerts in {Splunk} and {Microsoft Sentinel} for 40 client tenants",
                        "Lead {incident response|Incident Response} for ransomware and business email compromise cases",
                        "Write detection rules mapped to {MITRE ATT&CK}; false positives down 35%",
                        "Automate enrichment workflows with {Python} and {SOAR}"]),
          dict(title="Security Analyst", org="Tasman Bank", where="Auckland",
               start="2019-11", end="2022-02",
               bullets=["Ran {vulnerability management|Vulnerability Management} with {Nessus} across 3,000 hosts",
                        "Supported {ISO 27001} audits and wrote security policies",
                        "Investigated endpoint alerts in {CrowdStrike Falcon|CrowdStrike}"]),
      ]),
      ("education", "Education", [
          dict(degree="Bachelor of Science", field="Computer Science", school="Victoria University of Wellington",
               end="2019"),
      ]),
      ("certifications", "Certifications", [
          ("CompTIA Security+ (2020)", "CompTIA Security+"),
          ("GIAC Certified Incident Handler (GCIH) (2023)", "GCIH"),
      ]),
      ("skills", "Technical Skills", [
          (None, ["Splunk", "Microsoft Sentinel", "CrowdStrike", "Nessus", "Wireshark", "MITRE ATT&CK", "SIEM",
                  "Incident Response", "Threat Hunting", "Vulnerability Management", "Python", "PowerShell",
                  "Linux", "ISO 27001"]),
      ]),
      ("custom", "Security Clearance", "NZSIS Confidential clearance (current)."),
  ])

# ------------------------------------------------------------------------------------------ r29
R(id="r29-physiotherapist", profession="physiotherapist", how="lo-docx-table", dates="slash",
  contact=dict(name="Mateo Rossi", email="mateo.rossi@example.it", phone="+39 347 123 4567",
               location="Milano, Italy"),
  headline="Physiotherapist (Fisioterapista)",
  sections=[
      ("summary", "Profile",
       "Physiotherapist with 7 years in sports and orthopaedic rehabilitation. I treat footballers, "
       "runners and people who just want to climb stairs again, with {manual therapy|Manual Therapy} and "
       "{exercise prescription|Exercise Prescription}."),
      ("experience", "Professional Experience", [
          dict(title="Senior Physiotherapist", org="Centro Medico Sportivo Navigli", where="Milano",
               start="2020-09", end="present",
               bullets=["Treat 25–30 patients a week after ACL, shoulder and spinal surgery",
                        "Built return-to-sport protocols with the orthopaedic surgeons",
                        "Use {dry needling|Dry Needling} and {kinesio taping|Kinesio Taping}"]),
          dict(title="Physiotherapist", org="A.C. Brianza Calcio (Serie C)", where="Monza",
               start="2017-07", end="2020-08",
               bullets=["First-team physio: {injury prevention|Injury Prevention}, pitch-side care, {sports massage|Sports Massage}"]),
      ]),
      ("education", "Education", [
          dict(degree="Laurea in Fisioterapia", field=None, school="Università degli Studi di Milano", end="2017",
               gpa="110", gpa_word="Grade", gpa_scale="/110 cum laude"),
          dict(degree="Master", field="Sports Physiotherapy", school="Università di Pavia", end="2019"),
      ]),
      ("skills", "Skills", [
          (None, ["Manual Therapy", "Exercise Prescription", "Sports Rehabilitation", "Orthopaedic Rehabilitation",
                  "Dry Needling", "Kinesio Taping", "Injury Prevention", "Sports Massage", "Patient Education"]),
      ]),
      ("certifications", "Certifications", [("Registered with the Ordine dei Fisioterapisti, Milano",
                                             "Ordine dei Fisioterapisti registration")]),
      ("languages", "Languages", [("Italian (native)", "Italian"), ("English (B2)", "English"),
                                  ("Spanish (B1)", "Spanish")]),
      ("interests", "Interests", "Trail running, cycling, cooking for too many people."),
  ])

# ------------------------------------------------------------------------------------------ r30
R(id="r30-junior-dev", profession="graduate software developer", how="pandoc-docx", dates="mon",
  contact=dict(name="Aditi Sharma", email="aditi.sharma@example.sg", phone="+65 9123 4567",
               location="Singapore", links=["github.com/aditi-sharma", "linkedin.com/in/aditisharma-dev"]),
  sections=[
      ("summary", "Objective",
       "Computer science graduate looking for a junior backend or full-stack role. Strong in {Java} and "
       "{Python}, curious about databases, and used to shipping side projects end to end."),
      ("education", "Education", [
          dict(degree="Bachelor of Computing", field="Computer Science", school="National University of Singapore",
               end="2025", gpa="4.3", gpa_word="CAP", gpa_scale="/5.0",
               bullets=["Coursework: Algorithms, Databases, Operating Systems, Software Engineering, Computer Networks"]),
      ]),
      ("experience", "Internships", [
          dict(title="Software Engineering Intern", org="Merlion Logistics Tech", where="Singapore",
               start="2024-05", end="2024-08",
               bullets=["Built {REST|REST APIs} endpoints in {Spring Boot} for shipment tracking; 85% test coverage with {JUnit}",
                        "Wrote {PostgreSQL} migrations and fixed slow queries with proper indexes"]),
          dict(title="Teaching Assistant, CS2030 Programming Methodology", org="National University of Singapore",
               where="Singapore", start="2023-08", end="2023-12",
               bullets=["Ran weekly labs for 40 students on {Java} and {object-oriented programming|Object-Oriented Programming}"]),
      ]),
      ("projects", "Projects", [
          ("HawkerQ", "a queue app for hawker stalls: {React Native} front end, {Node.js} + {Express} API, {MongoDB}; "
                      "used by 6 stalls during a pilot"),
          ("MiniDB", "a toy relational database in {Rust} with a B-tree index and a {SQL} subset parser"),
          ("Bus Arrival Bot", "a Telegram bot in {Python} using the LTA DataMall API, deployed on {Heroku}"),
      ]),
      ("skills", "Technical Skills", [
          ("Languages", ["Java", "Python", "JavaScript", "TypeScript", "Rust", "SQL", "C"]),
          ("Frameworks", ["Spring Boot", "React", "React Native", "Node.js", "Express"]),
          ("Tools", ["Git", "Docker", "PostgreSQL", "MongoDB", "Linux"]),
      ]),
      ("awards", "Awards", ["Dean's List, AY2022/23 and AY2023/24", "2nd place, NUS Hack&Roll 2024"]),
      ("languages", "Languages", [("English", "English"), ("Hindi", "Hindi"), ("Mandarin (conversational)", "Mandarin")]),
  ])

# ------------------------------------------------------------------------------------------ r31
R(id="r31-warehouse", profession="warehouse associate / forklift operator", how="txt", txt="plain", dates="slash",
  contact=dict(name="Jamal Robinson", email="jrobinson88@example.com", phone="404.555.0182",
               location="Atlanta, GA"),
  sections=[
      ("summary", "Summary",
       "Reliable warehouse associate with 8 years in distribution centers. Certified forklift operator. "
       "Good attendance, safety-first, ready for any shift."),
      ("experience", "Work Experience", [
          dict(title="Lead Warehouse Associate", org="Peachtree Distribution Center", where="Atlanta, GA",
               start="2020-03", end="present",
               bullets=["Operate {forklifts|Forklift Operation}, reach trucks and {pallet jacks|Pallet Jack Operation} safely; zero incidents in 4 years",
                        "Pick, pack and ship 300+ orders a shift using {RF scanners|RF Scanning} and the {WMS|Warehouse Management Systems}",
                        "Train new hires on {OSHA} safety rules and {inventory|Inventory Management} cycle counts"]),
          dict(title="Warehouse Associate", org="Southern Home Goods", where="Marietta, GA",
               start="2016-06", end="2020-02",
               bullets=["Loaded and unloaded trucks, {shipping and receiving|Shipping and Receiving}",
                        "Kept aisles clean and organized"]),
      ]),
      ("certifications", "Certifications", [
          ("OSHA Forklift Operator Certification (renewed 2024)", "OSHA Forklift Operator Certification"),
          ("OSHA 10-Hour General Industry", "OSHA 10-Hour General Industry"),
      ]),
      ("education", "Education", [
          dict(degree="High School Diploma", field=None, school="Benjamin E. Mays High School", end="2015"),
      ]),
      ("skills", "Skills", [
          (None, ["Forklift Operation", "RF Scanning", "Order Picking", "Shipping and Receiving",
                  "Inventory Management", "Teamwork"]),
      ]),
  ])

# ------------------------------------------------------------------------------------------ r32
R(id="r32-architect", photo=True, profession="architect", how="chromium", layout="sidebar",
  side=["skills", "languages", "education", "certifications"], dates="year",
  contact=dict(name="Elif Yılmaz", email="elif.yilmaz@example.com.tr", phone="+90 532 123 45 67",
               location="İstanbul, Türkiye", links=["elifyilmaz-architecture.example.com"]),
  headline="Architect",
  sections=[
      ("skills", "Software", [
          (None, ["Revit", "ArchiCAD", "AutoCAD", "Rhino", "Grasshopper", "SketchUp", "Enscape",
                  "Adobe InDesign", "Adobe Photoshop"]),
      ]),
      ("languages", "Languages", [("Turkish — native", "Turkish"), ("English — fluent", "English"),
                                  ("Italian — basic", "Italian")]),
      ("education", "Education", [
          dict(degree="M.Arch.", field="Architecture", school="Politecnico di Milano", end="2016", fmt="b"),
          dict(degree="B.Arch.", field="Architecture", school="Istanbul Technical University", end="2013", fmt="b"),
      ]),
      ("certifications", "Licenses", [("Chamber of Architects of Turkey — registered architect", "Registered Architect (Türkiye)"),
                                      ("LEED Green Associate, 2019", "LEED Green Associate")]),
      ("summary", "Profile",
       "Architect with 9 years on residential, cultural and office projects from competition to site. "
       "I like efficient plans, honest materials and well-coordinated {BIM} models."),
      ("experience", "Experience", [
          dict(title="Project Architect", org="Boğaziçi Mimarlık", where="İstanbul", start="2019", end="present",
               bullets=["Project architect for a 22,000 m² library and cultural centre; led a team of 5",
                        "Ran {BIM} coordination in {Revit} with structural and MEP consultants",
                        "Prepared construction documents and handled {construction administration|Construction Administration}",
                        "Applied {sustainable design|Sustainable Design} targets for LEED Gold"]),
          dict(title="Architect", org="Studio Navigli Architetti", where="Milano", start="2016", end="2019",
               bullets=["Competition entries and {parametric design|Parametric Design} studies in {Rhino} and {Grasshopper}",
                        "Visualisations with {Enscape} and physical models"]),
          dict(title="Intern Architect", org="Atölye Kadıköy", where="İstanbul", start="2013", end="2014",
               bullets=["Drafting in {AutoCAD} for housing projects"]),
      ]),
      ("awards", "Awards", ["1st Prize, Kadıköy Public Library Competition, 2021"]),
  ])

# ------------------------------------------------------------------------------------------ r33
R(id="r33-data-engineer", profession="data engineer", how="lo-pdf", dates="iso",
  contact=dict(name="Min-jun Kim", email="minjun.kim@example.kr", phone="+82 10-1234-5678",
               location="Seoul, South Korea", links=["github.com/minjun-kim-data"]),
  headline="Data Engineer",
  sections=[
      ("summary", "Summary",
       "Data engineer with 6 years building batch and streaming pipelines for e-commerce and gaming. "
       "Efficient with {SQL}, fluent in {Python} and {Scala}, and careful about data quality."),
      ("experience", "Work Experience", [
          dict(title="Senior Data Engineer", org="Hangang Games", where="Seoul", start="2021-09", end="present",
               bullets=["Built streaming pipelines with {Kafka} and {Apache Flink} for 30M daily events",
                        "Run the lakehouse on {AWS} ({S3|Amazon S3}, {Glue|AWS Glue}, {Athena|Amazon Athena}) with {Delta Lake}",
                        "Orchestrate 400 {Airflow|Apache Airflow} DAGs; added {dbt} models and {data quality|Data Quality} checks",
                        "Cut warehouse spend 30% by reworking {Snowflake} clustering and workflows"]),
          dict(title="Data Engineer", org="Dongdaemun Market Online", where="Seoul",
               start="2018-03", end="2021-08",
               bullets=["Wrote {Apache Spark} jobs in {Scala} for order and clickstream data",
                        "Built {ETL} from {MySQL} to {Amazon Redshift}",
                        "Maintained {Hadoop} and {Hive} clusters"]),
      ]),
      ("education", "Education", [
          dict(degree="B.S.", field="Computer Science and Engineering", school="Korea University", end="2018", fmt="b",
               gpa="3.9", gpa_scale="/4.5"),
      ]),
      ("skills", "Technical Skills", [
          ("Languages", ["Python", "Scala", "SQL", "Java"]),
          ("Data", ["Apache Spark", "Kafka", "Apache Flink", "Apache Airflow", "dbt", "Snowflake", "Amazon Redshift",
                    "Delta Lake", "Hadoop", "Hive"]),
          ("Cloud", ["AWS", "Terraform", "Docker"]),
      ]),
      ("certifications", "Certifications", [("AWS Certified Data Engineer – Associate (2024)",
                                             "AWS Certified Data Engineer – Associate")]),
      ("languages", "Languages", [("Korean (native)", "Korean"), ("English (business)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r34
R(id="r34-paralegal", profession="litigation paralegal", how="txt", txt="caps", dates="full",
  contact=dict(name="Hannah Schultz", email="hannah.schultz@example.com", phone="+1 512 555 0110",
               location="Austin, TX", links=["linkedin.com/in/hannahschultz-paralegal"]),
  headline="Litigation Paralegal",
  sections=[
      ("summary", "Professional Summary",
       "Litigation paralegal with 6 years supporting commercial and employment cases in Texas state and "
       "federal courts. Organized, fast with {e-discovery|E-Discovery}, precise with deadlines."),
      ("experience", "Professional Experience", [
          dict(title="Senior Litigation Paralegal", org="Whitaker Lane LLP", where="Austin, TX",
               start="2021-01", end="present",
               bullets=["Manage discovery for 15–20 active matters in {Relativity}",
                        "Draft pleadings, subpoenas and discovery responses for attorney review",
                        "Prepare trial binders and exhibits; supported 4 jury trials",
                        "Track deadlines in {Clio} and e-file in state and federal courts ({PACER})"]),
          dict(title="Paralegal", org="Guerrero & Associates", where="San Antonio, TX",
               start="2018-06", end="2020-12",
               bullets=["{Legal research|Legal Research} in {Westlaw} and {LexisNexis}",
                        "Summarised depositions and medical records"]),
      ]),
      ("education", "Education", [
          dict(degree="Paralegal Certificate", field=None, school="Austin Community College", end="2018"),
          dict(degree="B.A.", field="Political Science", school="Texas State University", end="2017", fmt="b"),
      ]),
      ("certifications", "Certifications", [("NALA Certified Paralegal (CP), 2019", "NALA Certified Paralegal")]),
      ("skills", "Skills", [
          (None, ["Legal Research", "E-Discovery", "Document Review", "Legal Drafting", "Trial Preparation",
                  "Relativity", "Westlaw", "LexisNexis", "Clio", "PACER", "Microsoft Office"]),
      ]),
  ])

# ------------------------------------------------------------------------------------------ r35
R(id="r35-ux-researcher", profession="UX researcher", how="lo-docx", dates="mon",
  contact=dict(name="Zainab Qureshi", email="zainab.qureshi@example.pk", phone="+92 300 1234567",
               location="Lahore, Pakistan", links=["zainabqureshi.example.com"]),
  headline="UX Researcher",
  sections=[
      ("summary", "About Me",
       "Mixed-methods UX researcher with 5 years in fintech and ed-tech. I run studies that change roadmaps, "
       "and I share findings in ways busy people read."),
      ("experience", "Experience", [
          dict(title="Senior UX Researcher", org="Ravi Digital Bank", where="Lahore",
               start="2022-01", end="present",
               bullets=["Lead research for onboarding and payments; 40+ studies a year",
                        "Run {usability testing|Usability Testing}, {user interviews|User Interviews} and {diary studies|Diary Studies} in Urdu and English",
                        "Built a research repository in {Dovetail} and a {survey design|Survey Design} playbook",
                        "Analyse surveys in {SPSS} and behavioural data with {SQL}"]),
          dict(title="UX Researcher", org="Taleem Online", where="Karachi",
               start="2019-07", end="2021-12",
               bullets=["Field research with teachers in 12 schools; {personas|Personas} and {journey mapping|Journey Mapping}",
                        "Ran remote tests with {Maze} and {Lookback}"]),
      ]),
      ("education", "Education", [
          dict(degree="MSc", field="Human-Computer Interaction", school="University College London", end="2019"),
          dict(degree="BSc", field="Psychology", school="Lahore University of Management Sciences (LUMS)", end="2017"),
      ]),
      ("skills", "Skills", [
          ("Methods", ["User Research", "Usability Testing", "User Interviews", "Survey Design", "Journey Mapping",
                       "Personas", "Card Sorting", "Quantitative Research", "Qualitative Research"]),
          ("Tools", ["Dovetail", "Maze", "Figma", "Miro", "SPSS", "SQL", "Qualtrics"]),
      ]),
      ("languages", "Languages", [("Urdu (native)", "Urdu"), ("English (fluent)", "English"),
                                  ("Punjabi (native)", "Punjabi")]),
  ])

# ------------------------------------------------------------------------------------------ r36
R(id="r36-embedded", profession="embedded software engineer", how="chromium", layout="two-column",
  side=["skills", "education", "languages", "custom"], dates="dot", present="Present",
  contact=dict(name="Pekka Virtanen", email="pekka.virtanen@example.fi", phone="+358 40 123 4567",
               location="Tampere, Finland", links=["github.com/pvirtanen"]),
  headline="Embedded Software Engineer",
  sections=[
      ("summary", "Summary",
       "{Embedded engineer|Embedded Systems} with 9 years writing {firmware|Firmware Development} for industrial sensors and medical devices. "
       "{Low-power design|Low-Power Design}, efficient drivers and certification paperwork are all part of the job."),
      ("experience", "Work Experience", [
          dict(title="Senior Embedded Software Engineer", org="Pyynikki Sensors Oy", where="Tampere",
               start="2020-05", end="present",
               bullets=["Lead firmware for a battery-powered vibration sensor ({ARM Cortex-M|ARM Cortex-M}, {Zephyr|Zephyr RTOS})",
                        "Wrote {Bluetooth Low Energy} and {LoRaWAN} stacks integration; battery life 3 → 7 years",
                        "Introduced {unit testing|Unit Testing} with {Unity|Unity Test} and {CI/CD} on hardware-in-the-loop rigs",
                        "Started prototyping new drivers in {Rust}"]),
          dict(title="Embedded Software Engineer", org="Kalevala Medical Devices", where="Oulu",
               start="2015-08", end="2020-04",
               bullets=["Firmware in {C} and {C++} on {FreeRTOS} for infusion pumps",
                        "Worked under {IEC 62304} with {MISRA C} coding rules",
                        "Debugged hardware with {oscilloscopes|Oscilloscope}, {logic analysers|Logic Analyzer} and {JTAG}"]),
      ]),
      ("skills", "Skills", [
          (None, ["C", "C++", "Rust", "Python", "FreeRTOS", "Zephyr RTOS", "ARM Cortex-M", "Bluetooth Low Energy",
                  "LoRaWAN", "SPI", "I2C", "UART", "JTAG", "MISRA C", "IEC 62304", "Git", "Yocto"]),
      ]),
      ("education", "Education", [
          dict(degree="M.Sc. (Tech.)", field="Electrical Engineering", school="Tampere University of Technology",
               end="2015", fmt="b"),
      ]),
      ("languages", "Languages", [("Finnish (native)", "Finnish"), ("English (fluent)", "English"),
                                  ("Swedish (basic)", "Swedish")]),
      ("custom", "Patents", ["FI 128765 B — Method for adaptive sampling in a wireless vibration sensor (2022)"]),
  ])

# ------------------------------------------------------------------------------------------ r37
R(id="r37-engineering-manager", profession="engineering manager", how="chromium",
  layout="one-column", dates="mon", pages=2,
  footer="Rahul Verma · Curriculum Vitae · rahul.verma@example.com",
  contact=dict(name="Rahul Verma", email="rahul.verma@example.com", phone="+44 20 7946 0958",
               location="London, UK", links=["linkedin.com/in/rahulverma-eng", "github.com/rverma"]),
  headline="Engineering Manager · Platform & Payments",
  sections=[
      ("summary", "Summary",
       "Engineering manager with 15 years in software, the last 7 leading teams of 6–25 engineers in payments "
       "and platform infrastructure. I hire well, give clear feedback, and keep delivery predictable without "
       "burning people out. Still technical enough to review a design doc in {Java} or {Go} and to spot an "
       "inefficient query plan."),
      ("experience", "Professional Experience", [
          dict(title="Engineering Manager, Payments Platform", org="Thames Fintech Ltd", where="London",
               start="2021-01", end="present",
               bullets=["Lead 3 teams (22 engineers) owning card processing, ledger and reconciliation services",
                        "Cut payment incident count 60% through {SLOs|Service Level Objectives}, better alerting and blameless reviews",
                        "Hired 14 engineers; built a structured interview loop and a {career ladder|Career Development} framework",
                        "Drove the migration from a {Java} monolith to {microservices|Microservices} on {Kubernetes} and {AWS}",
                        "Own a GBP 4M annual budget and vendor relationships with two card schemes"]),
          dict(title="Senior Engineering Lead", org="Camden Commerce", where="London",
               start="2017-04", end="2020-12",
               bullets=["Managed the checkout team (8 engineers, 1 designer) through 3x traffic growth",
                        "Introduced {OKRs} and quarterly planning across engineering",
                        "Designed the event-driven order pipeline on {Kafka} and {PostgreSQL}",
                        "Ran the affiliate integrations workstream with 40 partner sites"]),
          dict(title="Senior Software Engineer", org="Camden Commerce", where="London",
               start="2014-02", end="2017-03",
               bullets=["Built search and recommendations services in {Java} with {Elasticsearch}",
                        "Moved builds from {Jenkins} to {GitLab CI}; introduced {Docker} for local development"]),
          dict(title="Software Engineer", org="Infotech Solutions Pvt. Ltd.", where="Bengaluru",
               start="2010-07", end="2014-01",
               bullets=["Developed banking back-office software in {Java} and {Oracle Database}",
                        "Wrote {PL/SQL} batch jobs for end-of-day processing"]),
          dict(title="Graduate Engineer", org="Infotech Solutions Pvt. Ltd.", where="Bengaluru",
               start="2009-07", end="2010-06",
               bullets=["Completed the graduate programme; support rotation for core banking clients"]),
      ]),
      ("skills", "Skills", [
          ("Leadership", ["People Management", "Hiring", "Coaching", "Performance Management", "Agile", "Scrum",
                          "OKRs", "Stakeholder Management", "Budget Management"]),
          ("Technology", ["Java", "Go", "Kubernetes", "AWS", "Kafka", "PostgreSQL", "Microservices",
                          "System Design", "Service Level Objectives"]),
      ]),
      ("education", "Education", [
          dict(degree="B.Tech.", field="Computer Science and Engineering", school="National Institute of Technology Karnataka",
               end="2009", fmt="b"),
      ]),
      ("certifications", "Certifications", [("AWS Certified Solutions Architect – Associate (2019)",
                                             "AWS Certified Solutions Architect – Associate")]),
      ("custom", "Talks", [
          "\"Boring payments: SLOs that matter\", LeadDev London, 2023",
          "\"Migrating a monolith without a big bang\", QCon London, 2022",
      ]),
      ("volunteering", "Volunteering", [
          dict(title="Mentor", org="Code Your Future", start="2019-09", end="present",
               bullets=["{Mentor|Mentoring} refugees and asylum seekers learning web development"]),
      ]),
      ("languages", "Languages", [("English (fluent)", "English"), ("Hindi (native)", "Hindi"),
                                  ("Kannada (conversational)", "Kannada")]),
      ("references", "References", "Available on request."),
  ])

# ------------------------------------------------------------------------------------------ r38
R(id="r38-career-changer", profession="junior data analyst (career changer)", how="txt", txt="plain",
  dates="mon",
  contact=dict(name="Gabriela Rodríguez Peña", email="gabi.rodriguez.pena@example.com", phone="+1 (646) 555-0163",
               location="New York, NY", links=["github.com/gabirp-data"]),
  sections=[
      ("summary", "About Me",
       "Former middle-school science teacher moving into {data analysis|Data Analysis}. Over the last year I completed a data "
       "analytics bootcamp and built three public projects. Teaching made me good at explaining numbers to "
       "people who did not ask for them."),
      ("projects", "Projects", [
          ("NYC school attendance explorer", "cleaned 5 years of open data with {Python} and {pandas}, "
                                             "built an interactive {Tableau} dashboard"),
          ("Citi Bike demand", "{SQL} analysis of 30M trips in {PostgreSQL}; {linear regression|Regression Analysis} "
                               "on weather and weekday"),
          ("Budget tracker", "a {Google Sheets} template with {Google Apps Script} automations, used by 200+ teachers"),
      ]),
      ("experience", "Experience", [
          dict(title="Data Analytics Fellow", org="Hudson Data Bootcamp", where="New York, NY",
               start="2024-09", end="2025-03",
               bullets=["16-week full-time programme: {SQL}, {Python}, {Tableau}, {statistics|Statistics} and {Microsoft Excel}",
                        "Capstone: churn analysis for a local gym chain, presented to its owners"]),
          dict(title="Science Teacher (Grades 6–8)", org="P.S. 118 Maurice Wollin School", where="Staten Island, NY",
               start="2017-09", end="2024-06",
               bullets=["Taught 5 classes of 30 students; grade-level lead for science",
                        "Tracked student assessment data in {Microsoft Excel} and shared trends with parents and the principal",
                        "Trained colleagues on {Google Classroom}"]),
      ]),
      ("education", "Education", [
          dict(degree="M.S.Ed.", field="Science Education", school="Hunter College, CUNY", end="2019", fmt="b"),
          dict(degree="B.S.", field="Biology", school="Universidad de Puerto Rico, Río Piedras", end="2016", fmt="b"),
      ]),
      ("languages", "Languages", [("Spanish (native)", "Spanish"), ("English (fluent)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r39
R(id="r39-cloud-architect", profession="cloud solutions architect", how="pandoc-docx",
  md_skill_table=True, dates="slash",
  contact=dict(name="Ifeoma Nwosu-Adebayo", email="ifeoma.na@example.org", phone="+27 82 123 4567",
               location="Cape Town, South Africa", links=["linkedin.com/in/ifeoma-nwosu-adebayo"]),
  headline="Cloud Solutions Architect",
  sections=[
      ("summary", "Professional Summary",
       "Cloud architect with 11 years in infrastructure, 6 of them designing {Azure} and {AWS} landing zones "
       "for banks, insurers and retailers in Africa and Europe."),
      ("skills", "Technical Skills", [
          ("Cloud", ["Azure", "AWS", "Microsoft Entra ID", "Azure DevOps"]),
          ("Infrastructure as code", ["Terraform", "Bicep", "Ansible"]),
          ("Containers", ["Kubernetes", "Docker", "Azure Kubernetes Service"]),
          ("Security & governance", ["Zero Trust", "Azure Policy", "Cost Optimization", "Networking"]),
      ]),
      ("experience", "Career History", [
          dict(title="Principal Cloud Architect", org="Table Bay Consulting", where="Cape Town",
               start="2020-07", end="present",
               bullets=["Designed {Azure} landing zones for 5 financial-services clients, with {Azure Policy} guardrails and {Terraform}",
                        "Led a 2,000-VM migration from {VMware} to {Azure}; 28% lower run cost after {cost optimization|Cost Optimization}",
                        "Defined {Zero Trust} network patterns with {Microsoft Entra ID} and private endpoints"]),
          dict(title="Cloud Engineer", org="Karoo Insurance Group", where="Johannesburg",
               start="2016-02", end="2020-06",
               bullets=["Built {AWS} accounts structure and {CI/CD} with {Azure DevOps}",
                        "Containerised claims services on {Kubernetes}"]),
          dict(title="Systems Engineer", org="Highveld IT Services", where="Johannesburg",
               start="2013-01", end="2016-01",
               bullets=["Ran {Windows Server}, {Active Directory} and {VMware} estates for SME clients"]),
      ]),
      ("certifications", "Certifications", [
          ("Microsoft Certified: Azure Solutions Architect Expert (AZ-305)", "Azure Solutions Architect Expert"),
          ("AWS Certified Solutions Architect – Associate", "AWS Certified Solutions Architect – Associate"),
          ("TOGAF 9 Certified", "TOGAF 9"),
      ]),
      ("education", "Education & Training", [
          dict(degree="BSc", field="Information Technology", school="University of Johannesburg", end="2012", fmt="b"),
      ]),
  ])

# ------------------------------------------------------------------------------------------ r40
R(id="r40-procurement", bold_headings=True, profession="procurement / category manager", how="lo-docx", dates="mon",
  contact=dict(name="Anneliese Kowalczyk-Schmidt", email="a.kowalczyk-schmidt@example.de", phone="0171 2345678",
               location="Hamburg, Germany"),
  headline="Senior Category Manager – Indirect Procurement",
  sections=[
      ("summary", "Profile",
       "Procurement professional with 10 years in indirect categories (facilities, IT, professional services) "
       "for manufacturing and retail groups. Strong negotiator, comfortable with {SAP Ariba} and data-heavy "
       "tenders, and practical about {supplier relationship management|Supplier Relationship Management}."),
      ("custom", "Key Achievements", [
          "Saved EUR 6.2M over three years in facilities and office services through re-tendering",
          "Reduced the supplier base from 1,900 to 1,150 without service complaints",
      ]),
      ("experience", "Professional Experience", [
          dict(title="Senior Category Manager, Indirect", org="Elbe Consumer Brands GmbH", where="Hamburg",
               start="2019-10", end="present",
               bullets=["Own categories worth EUR 85M: facilities, IT services, marketing services",
                        "Run {strategic sourcing|Strategic Sourcing} events and {contract negotiation|Contract Negotiation} in {SAP Ariba}",
                        "Introduced supplier risk screening and {ESG|ESG Compliance} criteria in tenders",
                        "Build {spend analysis|Spend Analysis} reports in {Power BI}"]),
          dict(title="Buyer, Indirect Materials", org="Nordwerk Maschinenbau AG", where="Kiel",
               start="2015-04", end="2019-09",
               bullets=["Purchased MRO and services for 3 plants; handled purchase orders in {SAP MM}",
                        "Negotiated framework agreements; average savings 7% per year"]),
      ]),
      ("education", "Education", [
          dict(degree="Bachelor of Arts", field="Business Administration (Logistics and Procurement)",
               school="Hochschule für Wirtschaft Hamburg", end="2015"),
      ]),
      ("skills", "Core Competencies", [
          (None, ["Strategic Sourcing", "Category Management", "Contract Negotiation", "Supplier Relationship Management",
                  "Spend Analysis", "Tendering", "SAP Ariba", "SAP MM", "Power BI", "Microsoft Excel"]),
      ]),
      ("certifications", "Certifications", [("CIPS Level 4 Diploma in Procurement and Supply (2018)", "CIPS Level 4")]),
      ("custom", "Professional Affiliations", ["Member, Bundesverband Materialwirtschaft, Einkauf und Logistik (BME)"]),
      ("languages", "Languages", [("German (native)", "German"), ("Polish (native)", "Polish"),
                                  ("English (fluent)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r41
R(id="r41-dental-hygienist", profession="dental hygienist", how="lo-fodt", dates="full",
  contact=dict(name="Élodie Gagnon-Tremblay", email="elodie.gagnon.tremblay@example.ca", phone="514-555-0148",
               location="Montréal, QC"),
  headline="Registered Dental Hygienist",
  sections=[
      ("summary", "Profile",
       "Bilingual dental hygienist with 7 years in family and periodontal practices. Gentle with anxious "
       "patients, thorough with charting and keen on prevention."),
      ("experience", "Work Experience", [
          dict(title="Dental Hygienist", org="Clinique Dentaire Plateau-Mont-Royal", where="Montréal, QC",
               start="2019-08", end="present",
               bullets=["See 9–11 patients a day for {scaling and root planing|Scaling and Root Planing}, polishing and {fluoride treatment|Fluoride Treatment}",
                        "Take and interpret {dental radiographs|Dental Radiography}; chart {periodontal assessments|Periodontal Assessment} in {Dentrix}",
                        "Lead the clinic's {infection control|Infection Control} protocol and sterilisation audits",
                        "Deliver {oral hygiene instruction|Patient Education} in French and English"]),
          dict(title="Dental Hygienist", org="Centre Dentaire Laval Est", where="Laval, QC",
               start="2017-06", end="2019-07",
               bullets=["Preventive care for children and seniors; applied {pit and fissure sealants|Dental Sealants}",
                        "Assisted with local anaesthesia documentation and recalls in {ClearDent}"]),
      ]),
      ("education", "Education", [
          dict(degree="DEC", field="Dental Hygiene", school="Cégep de Maisonneuve", end="2017"),
      ]),
      ("certifications", "Licenses & Certifications", [
          ("Member, Ordre des hygiénistes dentaires du Québec (OHDQ), 2017", "OHDQ Registered Dental Hygienist"),
          ("CPR / BLS for Healthcare Providers, 2024", "Basic Life Support"),
      ]),
      ("skills", "Skills", [
          (None, ["Scaling and Root Planing", "Periodontal Assessment", "Dental Radiography", "Infection Control",
                  "Patient Education", "Dentrix", "ClearDent", "Local Anesthesia"]),
      ]),
      ("languages", "Languages", [("French (native)", "French"), ("English (fluent)", "English")]),
  ])

# ------------------------------------------------------------------------------------------ r42
R(id="r42-hotel-manager", profession="hotel front office manager", how="lo-docx", layout="sidebar",
  side=["skills", "languages", "education"], dates="mon",
  contact=dict(name="Kittipong Srisuk", email="kittipong.srisuk@example.co.th", phone="+66 81 234 5678",
               location="Bangkok, Thailand", links=["linkedin.com/in/kittipong-srisuk"]),
  headline="Front Office Manager",
  sections=[
      ("skills", "Skills", [
          (None, ["Front Office Operations", "Revenue Management", "Guest Relations", "Team Leadership",
                  "Opera PMS", "Microsoft Excel", "Complaint Handling", "Upselling"]),
      ]),
      ("languages", "Languages", [("Thai (native)", "Thai"), ("English (fluent)", "English"),
                                  ("Mandarin (intermediate)", "Mandarin")]),
      ("education", "Education", [
          dict(degree="Bachelor of Business Administration", field="Hospitality Management",
               school="Assumption University", end="2014"),
      ]),
      ("summary", "Summary",
       "Front office manager with 10 years in 5-star city and resort hotels. I run calm, efficient front desks, "
       "train teams to upsell without pushing, and keep review scores high."),
      ("experience", "Work Experience", [
          dict(title="Front Office Manager", org="Chao Phraya Riverside Hotel", where="Bangkok",
               start="2020-11", end="present",
               bullets=["Lead 34 staff across reception, concierge, guest relations and night audit",
                        "Raised room upsell revenue 41% with a new incentive scheme and {upselling|Upselling} training",
                        "Work with the revenue team on {overbooking|Revenue Management} strategy and rate checks in {Opera PMS}",
                        "TripAdvisor score from 4.3 to 4.7 through faster {complaint handling|Complaint Handling}"]),
          dict(title="Assistant Front Office Manager", org="Andaman Bay Resort & Spa", where="Phuket",
               start="2016-03", end="2020-10",
               bullets=["Ran shifts for a 320-room resort; VIP arrivals and group check-ins",
                        "Built daily occupancy reports in {Microsoft Excel}"]),
          dict(title="Guest Service Agent", org="Sukhumvit Grand Hotel", where="Bangkok",
               start="2014-06", end="2016-02",
               bullets=["Check-in, check-out and {cashiering|Cashiering} in {Opera PMS}"]),
      ]),
      ("awards", "Awards", ["Manager of the Year, Chao Phraya Riverside Hotel, 2022"]),
  ])
