//! Data only: general word pools for sentences, names, roles and front-matter values.

pub const ACTORS: &[&str] = &[
    "the project team",
    "midwives on the labour ward",
    "community midwives",
    "the quality improvement lead",
    "obstetric consultants",
    "maternity support workers",
    "the maternity and neonatal voices partnership",
    "the equity and equality lead",
    "the data analyst",
    "student midwives",
    "the digital midwife",
    "interpreters and link workers",
    "health visitors",
    "the neonatal team",
    "the consultant midwife",
    "the maternity safety champions",
    "local GP practices",
    "the local maternity and neonatal system",
    "the perinatal mental health team",
    "diabetes specialist midwives",
    "obstetric anaesthetists",
    "the community engagement team",
];

pub const VERBS: &[&str] = &[
    "reviewed",
    "co-designed",
    "tested",
    "introduced",
    "audited",
    "mapped",
    "simplified",
    "standardised",
    "piloted",
    "redesigned",
    "measured",
    "discussed",
    "shared",
    "spread",
    "refined",
    "prioritised",
    "strengthened",
];

pub const GENERAL_OBJECTS: &[&str] = &[
    "the booking appointment",
    "interpreter booking",
    "continuity of carer teams",
    "the personalised care and support plan",
    "ethnicity recording on the maternity information system",
    "the daily safety huddle",
    "the referral pathway",
    "the patient information leaflet",
    "the triage process",
    "the audit proforma",
    "training for the whole multidisciplinary team",
    "the postnatal discharge checklist",
    "screening in pregnancy",
    "shared decision making",
];

pub const SETTINGS: &[&str] = &[
    "on the labour ward",
    "in antenatal clinic",
    "in community hubs",
    "at the booking appointment",
    "on the postnatal ward",
    "in the maternity assessment unit",
    "during home visits",
    "in the neonatal unit",
    "in family hubs",
    "during the weekly safety huddle",
    "in maternity triage",
    "across the local maternity and neonatal system",
];

pub const PURPOSES: &[&str] = &[
    "so that women could raise concerns early",
    "to reduce delays in escalation",
    "to make the process easier for busy staff",
    "so that every woman who needed one was offered an interpreter",
    "to close the gap in outcomes between ethnic groups",
    "to support shared decision making",
    "so that data could be reviewed every month",
    "to reduce unwarranted variation between teams",
    "to make care safer and kinder",
    "so that no family was missed",
    "to build trust with local communities",
];

pub const FEEDBACK: &[&str] = &[
    "information was not always available in their language",
    "they did not always feel listened to",
    "appointments clashed with work and childcare",
    "the leaflet was hard to understand",
    "they valued seeing the same midwife at every appointment",
    "they wanted more time to ask questions",
    "they had not been told why the test mattered",
    "travelling to the hospital for a short appointment was difficult",
    "they felt judged when they raised a concern",
];

pub const STAFF_FEEDBACK: &[&str] = &[
    "the new prompt made it easier to escalate early",
    "the huddle gave them a chance to speak up",
    "the checklist saved time once it became routine",
    "booking interpreters in advance changed the tone of the appointment",
    "seeing the equity data every month kept the work on the agenda",
    "protected time for training made the change possible",
    "the simpler form was quicker than the old one",
];

pub const REASONS: &[&str] = &[
    "MBRRACE-UK reports show that Black women are more likely to die in pregnancy than White women",
    "the gap in outcomes between ethnic groups had not narrowed in five years",
    "the local population is among the most diverse in England",
    "women living in the most deprived areas had the worst outcomes",
    "language barriers were named in several serious incident reviews",
    "families told us that care felt different depending on who they were",
];

pub const LESSONS: &[&str] = &[
    "Start small, with one team and one shift.",
    "Ask women what matters to them before designing the change.",
    "Equity data need to be reviewed as often as the headline measure.",
    "Interpreters are part of the clinical team, not an optional extra.",
    "Protected time for the project midwife made the biggest difference.",
    "Co-production with the voices partnership changed our priorities.",
    "Changes built into the electronic record lasted longer than posters.",
    "Celebrate small wins with the whole team.",
    "Plan for staff turnover from the first cycle.",
];

pub const AGAIN: &[&str] = &[
    "involve women from the start rather than after the first cycle",
    "agree the data definitions before collecting anything",
    "split every measure by ethnic group from the first month",
    "recruit a clinical champion on every shift",
    "budget for interpreters from day one",
    "test on night shifts earlier",
];

pub const SIGNALS: &[&str] = &[
    "a run of seven points below the mean after the change",
    "special cause improvement from the second cycle",
    "common cause variation only, so we kept testing",
    "two points beyond the lower process limit",
    "a shift that lasted for the rest of the period",
    "a single outlier in a month with very few births",
];

#[rustfmt::skip]
pub const PRESENT_VERBS: &[&str] = &[
    "review", "co-design", "test", "introduce", "simplify", "standardise", "pilot", "redesign",
    "audit", "spread", "strengthen", "embed",
];

pub const METHODS: &[&str] = &[
    "process mapping",
    "a fishbone diagram",
    "a Pareto chart of the reasons for delay",
    "listening events in community venues",
    "patient shadowing",
    "a staff survey",
    "experience-based co-design workshops",
    "a review of serious incidents",
    "focus groups with interpreters",
];

pub const REVIEW_FREQUENCIES: &[&str] = &[
    "every week",
    "every month",
    "at each huddle",
    "at the quarterly board",
    "every fortnight",
];

pub const REVIEW_TOOLS: &[&str] = &[
    "statistical process control charts",
    "run charts",
    "a monthly equity dashboard",
    "case note audit",
    "the Maternity Services Data Set",
    "the perinatal quality surveillance model",
];

pub const BARRIERS: &[&str] = &[
    "language barriers",
    "long journeys to hospital",
    "insecure housing",
    "shift work and zero-hours contracts",
    "caring responsibilities",
    "previous poor experiences of care",
    "digital exclusion",
    "uncertain immigration status",
    "the cost of travel and parking",
    "mistrust built up over years",
];

pub const CLINICAL_TERMS: &[&str] = &[
    "blood pressure monitoring",
    "sickle cell and thalassaemia screening",
    "induction of labour",
    "caesarean birth",
    "infant feeding support",
    "folic acid and vitamin D advice",
    "safeguarding assessment",
    "screening for domestic abuse",
    "reduced fetal movements advice",
    "aspirin for pre-eclampsia prevention",
    "venous thromboembolism risk assessment",
    "social prescribing",
    "continuity of carer",
    "fetal growth surveillance",
    "the newborn and infant physical examination",
];

pub const CONDITIONS: &[&str] = &[
    "pre-eclampsia",
    "obesity",
    "sickle cell disease",
    "a previous caesarean birth",
    "a history of anxiety or depression",
    "type 2 diabetes in the family",
    "a previous preterm birth",
    "anaemia in pregnancy",
    "multiple pregnancy",
    "complex social factors",
];

pub const QUOTES: &[&str] = &[
    "\"the first change that made a difference on a busy night\"",
    "\"simple enough to do at three in the morning\"",
    "\"a conversation rather than a form\"",
    "\"the thing women asked about most\"",
    "\"something we should have done years ago\"",
    "\"hard at first, then routine\"",
];

pub const TAGS: &[&str] = &[
    "huddle",
    "co-production",
    "interpreters",
    "SPC",
    "digital",
    "community",
    "training",
    "continuity of carer",
    "language",
    "equity audit",
    "anti-racism",
    "deprivation",
];

#[rustfmt::skip]
pub const FIRST_NAMES: &[&str] = &[
    "Amina", "Grace", "Priya", "Sarah", "Fatima", "Olivia", "Chloe", "Ngozi", "Hannah", "Aisha",
    "Emma", "Yasmin", "Joanne", "Rachel", "Nadia", "Kemi", "Laura", "Sophie", "Mei", "Tom", "James",
    "Daniel", "Imran", "Kwame", "Rahul", "David",
];

#[rustfmt::skip]
pub const SURNAMES: &[&str] = &[
    "Okafor", "Patel", "Khan", "Smith", "Begum", "Jones", "Williams", "Ahmed", "Mensah", "Brown",
    "Chowdhury", "Taylor", "Hussain", "Campbell", "Wilson", "Adeyemi", "Evans", "Singh", "Clarke",
    "Nowak", "Wright", "Ali", "Thompson", "Osei", "Li",
];

pub const ROLES: &[&str] = &[
    "Consultant midwife",
    "Maternity quality improvement lead",
    "Obstetric registrar",
    "Perinatal mental health midwife",
    "Diabetes specialist midwife",
    "Data analyst",
    "Equity and equality lead",
    "Voices partnership chair",
    "Consultant obstetrician",
    "Neonatal nurse consultant",
];

pub const QI_METHODS: &[&str] = &[
    "Model for Improvement",
    "Model for Improvement with experience-based co-design",
    "Lean",
    "Experience-based co-design",
    "Plan-do-study-act cycles",
];

pub const DESIGNS: [(&str, &str); 6] = [
    (
        "spc-time-series",
        "a statistical process control time series",
    ),
    ("pre-post", "a before-and-after comparison"),
    ("interrupted-time-series", "an interrupted time series"),
    ("mixed-methods", "a mixed-methods evaluation"),
    ("qualitative", "a qualitative evaluation"),
    (
        "controlled-before-after",
        "a controlled before-and-after study",
    ),
];

pub const SPREAD: [&str; 4] = ["yes", "with-adaptation", "no", "insufficient-evidence"];
