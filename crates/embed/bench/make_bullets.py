#!/usr/bin/env python3
"""Writes bullets.txt: 1,000 resume bullets for the embedding benchmark (deterministic).

Bullets are assembled from action verbs, work objects, technologies, scopes and outcomes the way
resume bullets are written, with varied length (about 8 to 45 words), so tokens per bullet
follow a realistic spread. Run: python3 make_bullets.py  (no dependencies).
"""
import os
import random

VERBS = ["Led", "Built", "Designed", "Migrated", "Automated", "Reduced", "Improved", "Launched",
         "Owned", "Implemented", "Refactored", "Scaled", "Mentored", "Coordinated", "Negotiated",
         "Analyzed", "Streamlined", "Drove", "Created", "Delivered", "Introduced", "Managed",
         "Optimized", "Rebuilt", "Spearheaded", "Developed", "Established", "Partnered with"]
OBJECTS = ["the billing platform", "a customer onboarding flow", "the data warehouse",
           "an internal analytics dashboard", "the CI/CD pipeline", "a recommendation service",
           "the mobile checkout", "a fraud detection model", "the payroll process",
           "quarterly sales forecasting", "the vendor onboarding program", "a React design system",
           "the incident response process", "supplier contracts", "the hiring pipeline",
           "a patient scheduling system", "the marketing attribution model", "an ETL framework",
           "the public REST API", "a GraphQL gateway", "monthly financial close",
           "a warehouse inventory system", "the customer support knowledge base",
           "an A/B testing platform", "the search ranking pipeline", "a compliance audit program"]
TECH = ["Python", "Go", "Rust", "Java", "TypeScript", "Kotlin", "PostgreSQL", "MySQL", "Redis",
        "Kafka", "Spark", "Airflow", "dbt", "Snowflake", "AWS", "GCP", "Azure", "Kubernetes",
        "Docker", "Terraform", "React", "Node.js", "Django", "Flask", "Spring Boot", "Tableau",
        "Power BI", "Excel", "Salesforce", "SAP", "Jira", "PyTorch", "scikit-learn", "Elasticsearch"]
SCOPES = ["across 4 regions", "for 2M monthly users", "with a team of 6 engineers",
          "for 120 enterprise clients", "across three business units", "with two offshore teams",
          "for a $4M product line", "in a regulated healthcare setting", "under a tight deadline",
          "with cross-functional partners in sales and finance", "serving 15k requests per second"]
OUTCOMES = ["cutting latency by {p}%", "saving ${k}K per year", "reducing errors by {p}%",
            "raising conversion by {p}%", "shortening release cycles from {d} weeks to {e} days",
            "improving customer satisfaction scores by {p} points", "freeing {h} hours per week",
            "increasing revenue by ${k}K annually", "lowering churn by {p}%",
            "bringing on-time delivery to {q}%", "eliminating {h} manual steps"]
TAILS = ["and documented the runbooks", "and trained 20 colleagues on the new workflow",
         "while keeping 99.95% uptime", "and presented results to the leadership team",
         "in close collaboration with product and design",
         "and set up monitoring, alerting and dashboards for the on-call rotation"]


def bullet(r):
    parts = [r.choice(VERBS), r.choice(OBJECTS)]
    if r.random() < 0.7:
        techs = r.sample(TECH, r.randint(1, 3))
        parts.append("using " + ", ".join(techs[:-1]) + (" and " if len(techs) > 1 else "") + techs[-1])
    if r.random() < 0.5:
        parts.append(r.choice(SCOPES))
    if r.random() < 0.8:
        parts.append(", " + r.choice(OUTCOMES).format(p=r.randint(5, 70), k=r.randint(20, 900),
                                                       d=r.randint(2, 8), e=r.randint(1, 5),
                                                       h=r.randint(3, 40), q=r.randint(90, 99)))
    if r.random() < 0.3:
        parts.append(r.choice(TAILS))
    text = " ".join(parts).replace(" , ", ", ")
    return text + ("." if r.random() < 0.6 else "")


def main():
    r = random.Random(20261125)
    seen, out = set(), []
    while len(out) < 1000:
        b = bullet(r)
        if b not in seen:
            seen.add(b)
            out.append(b)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bullets.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
