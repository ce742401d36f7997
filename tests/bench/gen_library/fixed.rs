//! The fixed files: `library.yaml`, the nine site profiles and `pages/about.md`.

use std::fmt::Write as _;

use super::areas::AREAS;
use super::front_matter::q;
use super::vocab::{ETHNIC_GROUPS, OUTCOMES, REGIONS, SYNONYMS, Site};

pub fn library_yaml() -> String {
    let mut out = String::new();
    out.push_str("title: LAN Shared Learning Library (generated benchmark corpus)\n");
    out.push_str("description: Synthetic case studies, interventions and evaluations from nine maternity and neonatal sites, generated for benchmarks.\n");
    out.push_str(
        "base_url: https://example.org/library/\nlanguage: en-GB\nreview_interval_months: 24\n",
    );
    out.push_str("disclosure:\n  min_count: 8\nvocabularies:\n  priority_areas:\n");
    for a in &AREAS {
        w!(out, "    {}: {}\n", a.id, q(a.label));
    }
    out.push_str("  outcomes:\n");
    for (id, label) in OUTCOMES {
        w!(out, "    {id}: {}\n", q(label));
    }
    out.push_str("  ethnic_groups:\n");
    for (id, label, _) in ETHNIC_GROUPS {
        w!(out, "    {id}: {}\n", q(label));
    }
    out.push_str("  regions:\n");
    for (id, label) in REGIONS {
        w!(out, "    {id}: {}\n", q(label));
    }
    out.push_str("search:\n  synonyms:\n");
    for (term, expansions) in SYNONYMS {
        let list: Vec<String> = expansions.iter().map(|e| q(e)).collect();
        w!(out, "    {term}: [{}]\n", list.join(", "));
    }
    out
}

pub fn site_md(site: &Site) -> String {
    let mut out = String::from("---\n");
    w!(
        out,
        "name: {}\nkind: {}\nregion: {}\nics: {}\n",
        q(site.name),
        site.kind,
        REGIONS[site.region].0,
        q(site.ics)
    );
    w!(
        out,
        "website: https://example.org/sites/{}/\n---\n\n",
        site.id
    );
    w!(
        out,
        "{} is one of the nine sites in the Learning and Action Network, part of the {}.\n\n\
         ## Our population\n\n\
         The site serves a diverse population, with many families who speak a first language other than English. \
         Maternity teams work with interpreters, link workers and the local voices partnership.\n\n\
         ## Our priorities\n\n\
         - Postpartum haemorrhage\n- Preterm birth\n- Perinatal mental health\n- Gestational diabetes\n",
        site.name,
        site.ics
    );
    out
}

pub fn about_md() -> String {
    "---\n\
     title: About this library\n\
     summary: What the shared learning library is, who writes it and how to use it.\n\
     menu: 1\n\
     ---\n\n\
     This is a synthetic library generated for benchmarks. It has the shape of the shared learning \
     library of a Learning and Action Network of nine maternity and neonatal sites in England, which \
     combines quality improvement with anti-racism principles to close the gaps in outcomes between \
     women of different ethnic groups.\n\n\
     ## What you will find\n\n\
     - **Interventions**: what a site changed, its aim, driver diagram, measures and PDSA cycles.\n\
     - **Evaluations**: whether a change worked, with SPC charts and equity tables.\n\
     - **Case studies**: the story of the work, told for other teams.\n\n\
     ## Priority areas\n\n\
     Postpartum haemorrhage, preterm birth, perinatal mental health and gestational diabetes.\n"
        .to_string()
}
