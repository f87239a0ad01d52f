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
       "Backend engineer with nine years of experience building efficient, reliable services in {Rust} "
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
                        "Wrote the first automated tests the office ever had, using {PHPUnit}"]),
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
               links=["https://www.linkedin.com/in/nguyen-thi-lan", "https://github.com/lannguyen-ds"]),
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
               bullets=["Predicted delivery delays with gradient boosting in {Python} and {scikit-learn}",
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
                        "Mentor student nurses as a Practice Assessor"]),
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
                        "Cut the month-end close from 12 to 6 working days by redesigning the workflow in {SAP S/4HANA}",
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
       "Performance marketer with 8+ years across retail, telecom and hospitality in the GCC. "
       "I plan campaigns in English and Arabic, live in {Google Analytics}, and measure everything."),
      ("experience", "Career", [
          dict(title="Digital Marketing Manager", org="Al Noor Hospitality Group", where="Muscat",
               start="2020-02", end="present",
               bullets=["Manage a USD 1.2M annual paid media budget across {Google Ads}, {Meta Ads} and {TikTok Ads}",
                        "Grew direct hotel bookings 34% in two years through {SEO} and {email marketing|Email Marketing} in {HubSpot}",
                        "Launched an {affiliate programme|Affiliate Marketing} with 60 travel bloggers",
                        "Lead a team of 5: content, paid social, CRM"]),
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
                        "Introduced {GeoGebra} and {Python} into the physics lab for data analysis",
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
R(id="r09-hr", profession="HR business partner", how="lo-docx", dates="slash",
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
                        "Negotiated 4 collective agreements with works councils (CSE)",
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
               bullets=["Mentor young graduates from priority neighbourhoods in their job search"]),
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
