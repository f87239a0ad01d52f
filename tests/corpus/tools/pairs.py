#!/usr/bin/env python3
"""Write tests/corpus/pairs.json and tests/corpus/jds/index.json.

The JD terms below were read off jds/<id>.txt by hand. For each labelled pair, a term counts as matched
when the resume's gold labels (expected/<id>.json: skills, certifications, spoken languages) contain it
or one of the alternatives the JD itself accepts ("PMP or PRINCE2", "Playwright or Cypress"). A
missing term gets an `expected_related` entry when the resume has a skill from RELATED[term]: a
neighbour a recruiter would call transferable, not an equivalent. Standard library only.
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# id: title, min_years, education, required, preferred, accept (term -> other labels the JD accepts)
JDS = {
    "jd01-backend-rust": dict(
        title="Senior Backend Engineer (Rust)", min_years=5, education=None,
        required=["Rust", "PostgreSQL", "Kubernetes"], preferred=["Kafka", "gRPC", "AWS"]),
    "jd02-data-scientist": dict(
        title="Data Scientist – Demand Forecasting", min_years=3, education="master",
        required=["Python", "pandas", "scikit-learn", "SQL", "Statistics", "Machine Learning",
                  "Time Series Forecasting", "A/B Testing"],
        preferred=["Apache Spark", "Apache Airflow", "Tableau"],
        accept={"Tableau": ["Power BI"]}),
    "jd03-nurse-cardiology": dict(
        title="Senior Staff Nurse – Cardiology (Band 6)", min_years=2, education=None,
        required=["NMC Registered Nurse", "IV Therapy", "Medication Administration", "Telemetry Monitoring",
                  "Advanced Life Support"],
        preferred=["Mentoring", "Discharge Planning"]),
    "jd04-financial-controller": dict(
        title="Financial Controller – Group Reporting", min_years=6, education="master",
        required=["IFRS", "Consolidation", "SAP", "Microsoft Excel", "Chartered Accountant"],
        preferred=["Power BI", "Norwegian"],
        accept={"SAP": ["SAP S/4HANA", "SAP EWM"],
                "Chartered Accountant": ["State Authorised Public Accountant", "CPA", "ACCA"]}),
    "jd05-performance-marketing": dict(
        title="Performance Marketing Manager", min_years=5, education="bachelor",
        required=["Google Ads", "Meta Ads", "Google Analytics", "SEO", "Budget Management"],
        preferred=["HubSpot", "Salesforce Marketing Cloud", "Email Marketing", "Arabic"]),
    "jd06-frontend-react": dict(
        title="Frontend Engineer (React / TypeScript)", min_years=3, education=None,
        required=["React", "TypeScript", "Accessibility", "Jest"], preferred=["Next.js", "GraphQL", "Playwright"]),
    "jd07-sre": dict(
        title="Site Reliability Engineer", min_years=4, education=None,
        required=["Kubernetes", "Terraform", "AWS", "Prometheus", "Linux"],
        preferred=["Go", "Ansible", "Certified Kubernetes Administrator"]),
    "jd08-data-engineer": dict(
        title="Data Engineer — Streaming & Lakehouse", min_years=4, education="bachelor",
        required=["Python", "SQL", "Apache Spark", "Apache Airflow", "Kafka"],
        preferred=["dbt", "Snowflake", "AWS", "Apache Flink"]),
    "jd09-hr-business-partner": dict(
        title="HR Business Partner – Manufacturing Sites", min_years=7, education="master",
        required=["Employee Relations", "French Labour Law", "Performance Management", "Talent Acquisition",
                  "Workday"],
        preferred=["Change Management", "Spanish"]),
    "jd10-logistics-coordinator": dict(
        title="Logistics Coordinator", min_years=3, education="bachelor",
        required=["Supply Chain Management", "Inventory Management", "SAP", "Microsoft Excel"],
        preferred=["Power BI", "Lean", "Spanish"],
        accept={"SAP": ["SAP EWM", "SAP MM", "SAP S/4HANA"]}),
    "jd11-product-designer": dict(
        title="Product Designer", min_years=4, education=None,
        required=["Figma", "User Research", "Prototyping", "Design Systems"],
        preferred=["Accessibility", "HTML", "CSS"]),
    "jd12-corporate-counsel": dict(
        title="Legal Counsel – Corporate & Commercial", min_years=5, education="master",
        required=["Commercial Contracts", "Mergers and Acquisitions", "GDPR", "Netherlands Bar Admission", "Dutch"],
        preferred=["German", "Corporate Governance"]),
    "jd13-qa-automation": dict(
        title="QA Automation Engineer (Playwright)", min_years=3, education=None,
        required=["Playwright", "TypeScript", "API Testing", "CI/CD"],
        preferred=["k6", "ISTQB CTFL", "Appium"],
        accept={"Playwright": ["Cypress"], "TypeScript": ["JavaScript"], "k6": ["JMeter"],
                "CI/CD": ["Jenkins", "GitHub Actions", "GitLab CI"]}),
    "jd14-ml-engineer-nlp": dict(
        title="Machine Learning Engineer, NLP", min_years=4, education="master",
        required=["Python", "PyTorch", "Natural Language Processing", "Docker", "Kubernetes"],
        preferred=["MLflow", "AWS", "Large Language Models", "Retrieval-Augmented Generation", "Arabic"]),
    "jd15-it-project-manager": dict(
        title="IT Project Manager — Digital Banking", min_years=7, education=None,
        required=["Project Management", "PMP", "Agile", "Waterfall", "Risk Management", "Stakeholder Management",
                  "Budget Management"],
        preferred=["Jira", "Confluence", "PSM I", "Irish"],
        accept={"PMP": ["PRINCE2 Practitioner"]}),
    "jd16-warehouse-forklift": dict(
        title="Warehouse Associate – Forklift Operator", min_years=1, education="high school",
        required=["Forklift Operation", "RF Scanning", "Inventory Management"],
        preferred=["OSHA Forklift Operator Certification", "Shipping and Receiving"]),
    "jd17-soc-analyst": dict(
        title="SOC Analyst – Level 2", min_years=3, education=None,
        required=["SIEM", "Incident Response", "Threat Hunting"],
        preferred=["Python", "PowerShell", "CompTIA Security+", "MITRE ATT&CK", "ISO 27001"],
        accept={"SIEM": ["Splunk", "Microsoft Sentinel"], "CompTIA Security+": ["GCIH"]}),
}

RELATED = {
    "Rust": ["C++", "Go"], "Go": ["Rust"], "PostgreSQL": ["MySQL", "Amazon Redshift"],
    "Kafka": ["RabbitMQ", "Amazon Kinesis"], "Kubernetes": ["Docker"], "AWS": ["Azure", "GCP"],
    "gRPC": ["REST APIs"], "Terraform": ["Ansible", "CloudFormation"], "Ansible": ["Terraform"],
    "Prometheus": ["Grafana", "Nagios"], "Apache Spark": ["Hadoop", "Apache Flink"],
    "Apache Flink": ["Apache Spark", "Kafka"], "Apache Airflow": ["Prefect", "Dagster"],
    "Tableau": ["Power BI", "Looker Studio"], "Power BI": ["Tableau", "Looker Studio"],
    "Snowflake": ["Amazon Redshift", "BigQuery"], "Jest": ["JUnit", "Cypress"], "Playwright": ["Cypress", "Selenium"],
    "Next.js": ["Nuxt"], "GraphQL": ["REST APIs"], "Workday": ["HRIS"], "HubSpot": ["Salesforce"],
    "Salesforce Marketing Cloud": ["HubSpot"], "Meta Ads": ["Google Ads", "TikTok Ads"],
    "Google Ads": ["Meta Ads"], "Google Analytics": ["Amplitude"], "SEO": ["SEM"],
    "Figma": ["Sketch"], "Prototyping": ["Wireframing"], "User Research": ["Usability Testing", "User Interviews"],
    "Design Systems": [], "Commercial Contracts": ["Contract Negotiation", "Legal Drafting"],
    "Mergers and Acquisitions": ["Due Diligence"], "IV Therapy": ["Medication Administration"], "Medication Administration": ["Dispensing"],
    "Discharge Planning": ["Care Planning"], "Supply Chain Management": ["Inventory Management"],
    "PyTorch": ["TensorFlow"], "TensorFlow": ["PyTorch"], "Natural Language Processing": ["Large Language Models"],
    "SIEM": ["ELK Stack"], "Incident Response": ["Incident Management"], "PowerShell": ["Bash"],
    "Agile": ["Scrum"], "Scrum": ["Agile"], "Project Management": ["Program Management"],
    "Forklift Operation": ["Pallet Jack Operation"], "RF Scanning": ["Warehouse Management Systems"],
    "IFRS": ["NGAAP"], "Consolidation": ["Financial Reporting"], "Microsoft Excel": ["Google Sheets"],
    "Time Series Forecasting": ["Demand Forecasting"], "Talent Acquisition": ["Recruitment"],
    "CI/CD": ["GitHub Actions", "Jenkins", "GitLab CI"], "API Testing": ["Postman"],
    "TypeScript": ["JavaScript"], "JavaScript": ["TypeScript"], "Linux": ["Bash"], "SQL": ["PostgreSQL", "MySQL"],
    "Budget Management": ["Budgeting"], "SAP": [], "Lean": ["Six Sigma", "Kaizen"],
    "Email Marketing": [], "Docker": [], "Threat Hunting": [], "MLflow": [],
}

# (resume, jd) pairs; the labels are computed, then checked by hand (see README).
PAIRS = [
    ("r01-software", "jd01-backend-rust"), ("r14-devops", "jd01-backend-rust"), ("r30-junior-dev", "jd01-backend-rust"),
    ("r03-nurse", "jd01-backend-rust"),
    ("r14-devops", "jd07-sre"), ("r01-software", "jd07-sre"), ("r33-data-engineer", "jd07-sre"),
    ("r02-data-scientist", "jd02-data-scientist"), ("r33-data-engineer", "jd02-data-scientist"),
    ("r20-ml-engineer", "jd02-data-scientist"),
    ("r33-data-engineer", "jd08-data-engineer"), ("r02-data-scientist", "jd08-data-engineer"),
    ("r01-software", "jd08-data-engineer"),
    ("r03-nurse", "jd03-nurse-cardiology"), ("r15-pharmacist", "jd03-nurse-cardiology"),
    ("r29-physiotherapist", "jd03-nurse-cardiology"),
    ("r04-accountant", "jd04-financial-controller"), ("r17-financial-analyst", "jd04-financial-controller"),
    ("r05-marketing", "jd05-performance-marketing"), ("r08-sales", "jd05-performance-marketing"),
    ("r25-product-manager", "jd05-performance-marketing"),
    ("r13-frontend", "jd06-frontend-react"), ("r30-junior-dev", "jd06-frontend-react"),
    ("r24-qa-engineer", "jd06-frontend-react"),
    ("r09-hr", "jd09-hr-business-partner"), ("r23-social-worker", "jd09-hr-business-partner"),
    ("r10-logistics", "jd10-logistics-coordinator"), ("r31-warehouse", "jd10-logistics-coordinator"),
    ("r11-designer", "jd11-product-designer"), ("r35-ux-researcher", "jd11-product-designer"),
    ("r32-architect", "jd11-product-designer"),
    ("r12-legal", "jd12-corporate-counsel"), ("r34-paralegal", "jd12-corporate-counsel"),
    ("r24-qa-engineer", "jd13-qa-automation"), ("r13-frontend", "jd13-qa-automation"),
    ("r20-ml-engineer", "jd14-ml-engineer-nlp"), ("r02-data-scientist", "jd14-ml-engineer-nlp"),
    ("r19-project-manager", "jd15-it-project-manager"), ("r25-product-manager", "jd15-it-project-manager"),
    ("r31-warehouse", "jd16-warehouse-forklift"), ("r10-logistics", "jd16-warehouse-forklift"),
    ("r28-cybersecurity", "jd17-soc-analyst"), ("r14-devops", "jd17-soc-analyst"),
    ("r37-engineering-manager", "jd01-backend-rust"), ("r39-cloud-architect", "jd07-sre"),
    ("r38-career-changer", "jd02-data-scientist"), ("r40-procurement", "jd10-logistics-coordinator"),
]


def load(rid):
    with open(os.path.join(ROOT, "expected", rid + ".json"), encoding="utf-8") as f:
        return json.load(f)


def main():
    for jid in JDS:
        assert os.path.exists(os.path.join(ROOT, "jds", jid + ".txt")), jid
    out = []
    for rid, jid in PAIRS:
        r, jd = load(rid), JDS[jid]
        have = set(r["skills"]) | set(r["certifications"]) | set(r["spoken_languages"])
        accept = jd.get("accept", {})
        matched, missing, related = [], [], []
        for term in jd["required"] + jd["preferred"]:
            if term in have or any(a in have for a in accept.get(term, [])):
                matched.append(term)
            else:
                missing.append(term)
                for rel in RELATED.get(term, []):
                    if rel in have:
                        related.append({"missing": term, "related_present": rel})
                        break
        req_hit = sum(1 for t in jd["required"] if t in matched)
        out.append({"resume": rid, "jd": jid, "required": jd["required"], "preferred": jd["preferred"],
                    "expected_matched": matched, "expected_missing": missing, "expected_related": related,
                    "required_coverage": round(req_hit / len(jd["required"]), 3)})
    with open(os.path.join(ROOT, "pairs.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    index = {jid: {k: v for k, v in jd.items()} | {"file": f"jds/{jid}.txt"} for jid, jd in JDS.items()}
    with open(os.path.join(ROOT, "jds", "index.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for p in out:
        print(f"{p['resume']:24} {p['jd']:28} req {p['required_coverage']:.2f}  "
              f"matched {len(p['expected_matched'])}  missing {','.join(p['expected_missing'])}  "
              f"related {[x['related_present'] for x in p['expected_related']]}")


if __name__ == "__main__":
    main()
