//! The sentence makers behind `Prose`: actions, context, results, equity and learning.

use super::prose::{Flavor, Prose};
use super::text::{lower_first, upper_first};
use super::words::{
    ACTORS, AGAIN, BARRIERS, CLINICAL_TERMS, CONDITIONS, FEEDBACK, LESSONS, METHODS, PRESENT_VERBS,
    PURPOSES, QUOTES, REASONS, REVIEW_FREQUENCIES, REVIEW_TOOLS, ROLES, SETTINGS, SIGNALS,
    STAFF_FEEDBACK, VERBS,
};

impl Prose<'_> {
    pub fn sentence(&mut self, flavor: Flavor) -> String {
        match flavor {
            Flavor::General if self.rng.chance(0.45) => self.action_sentence(),
            Flavor::General => self.context_sentence(),
            Flavor::Results => self.results_sentence(),
            Flavor::Equity => self.equity_sentence(),
            Flavor::Learning => self.learning_sentence(),
        }
    }

    /// Something a team did: also usable as a step in a numbered list.
    pub fn action_sentence(&mut self) -> String {
        let (actor, helper) = self.two_actors();
        let verb = self.rng.pick(VERBS);
        match self.rng.below(7) {
            0 => format!(
                "{} {verb} {} {}.",
                upper_first(actor),
                self.object(),
                self.rng.pick(SETTINGS)
            ),
            1 => format!(
                "{} {verb} {} {}.",
                upper_first(actor),
                self.object(),
                self.rng.pick(PURPOSES)
            ),
            2 => format!(
                "We {verb} {} {} {}.",
                self.object(),
                self.rng.pick(SETTINGS),
                self.rng.pick(PURPOSES)
            ),
            3 => format!(
                "At {}, {actor} {verb} {} with support from {helper}.",
                self.site.short,
                self.object()
            ),
            4 => format!(
                "In {}, {actor} {verb} {} {}.",
                self.month(),
                self.object(),
                self.rng.pick(SETTINGS)
            ),
            5 => format!(
                "{} worked with {helper} to {} {}.",
                upper_first(actor),
                self.rng.pick(PRESENT_VERBS),
                self.object()
            ),
            _ => format!(
                "We used {} to understand {}.",
                self.rng.pick(METHODS),
                self.object()
            ),
        }
    }

    /// Why the work was needed and how it was run.
    pub fn context_sentence(&mut self) -> String {
        match self.rng.below(8) {
            0 => format!(
                "Before the project, {}.",
                self.rng.pick(self.area.observations)
            ),
            1 => format!("This mattered because {}.", self.rng.pick(REASONS)),
            2 => format!(
                "Women from {} backgrounds told us that {}.",
                self.group(),
                self.rng.pick(FEEDBACK)
            ),
            3 => format!(
                "The work linked {} with {} {}.",
                lower_first(self.topic.name),
                self.object(),
                self.rng.pick(SETTINGS)
            ),
            4 => format!(
                "Data were reviewed {} using {}.",
                self.rng.pick(REVIEW_FREQUENCIES),
                self.rng.pick(REVIEW_TOOLS)
            ),
            5 => format!(
                "Many families faced {}, so {} {} {}.",
                self.rng.pick(BARRIERS),
                self.rng.pick(ACTORS),
                self.rng.pick(VERBS),
                self.object()
            ),
            6 => format!(
                "{} was considered alongside {} for women with {}.",
                upper_first(self.rng.pick(CLINICAL_TERMS)),
                self.object(),
                self.rng.pick(CONDITIONS)
            ),
            _ => format!(
                "One {} described {} as {}.",
                lower_first(self.rng.pick(ROLES)),
                self.object(),
                self.rng.pick(QUOTES)
            ),
        }
    }

    pub fn results_sentence(&mut self) -> String {
        let (a, b) = self.percent_pair();
        let m = &self.area.outcome;
        match self.rng.below(9) {
            0 => {
                let x = m.base * (0.9 + 0.2 * self.rng.unit());
                let y = m.improved * (0.9 + 0.2 * self.rng.unit());
                format!(
                    "{} went from {x:.1} to {y:.1} {} over {} months.",
                    m.name,
                    m.per_label,
                    self.rng.range(9, 24)
                )
            }
            1 => format!(
                "Women who {} rose from {a:.0}% to {b:.0}% by the end of cycle {}.",
                self.topic.process,
                self.rng.range(2, 5)
            ),
            2 => format!("The SPC chart showed {}.", self.rng.pick(SIGNALS)),
            3 => {
                let n = self.rng.range(180, 2400);
                let k = (n as f64 * b / 100.0).round();
                format!(
                    "Of {n} women included, {k} ({b:.0}%) {}.",
                    self.topic.process
                )
            }
            4 => format!(
                "There was no change in the balancing measure, {}.",
                lower_first(self.area.balancing.0)
            ),
            5 => format!(
                "Use of {} increased from {a:.0}% to {b:.0}% of eligible women.",
                self.rng.pick(self.area.objects)
            ),
            6 => format!(
                "The improvement was sustained at {b:.0}% for {} months after the final cycle.",
                self.rng.range(3, 12)
            ),
            7 => format!(
                "Feedback from {} women in the Friends and Family Test was {b:.0}% positive.",
                self.rng.range(60, 900)
            ),
            _ => format!(
                "Teams ran {} PDSA cycles and {} training sessions, reaching {} staff.",
                self.rng.range(3, 9),
                self.rng.range(8, 40),
                self.rng.range(40, 600)
            ),
        }
    }

    pub fn equity_sentence(&mut self) -> String {
        let g = self.group();
        let (a, b) = self.percent_pair();
        match self.rng.below(8) {
            0 => {
                let x = 2.0 + 4.0 * self.rng.unit();
                let y = x * (0.3 + 0.5 * self.rng.unit());
                format!(
                    "The gap between {g} women and White British women narrowed from {x:.1} to {y:.1} percentage points."
                )
            }
            1 => format!(
                "Rates were {:.1} times higher for {g} women than for White British women before the project.",
                1.3 + 1.5 * self.rng.unit()
            ),
            2 => format!(
                "We split every measure by ethnic group and by deprivation quintile {}.",
                self.rng.pick(PURPOSES)
            ),
            3 => format!(
                "Interpreter use rose from {a:.0}% to {b:.0}% of appointments where one was needed."
            ),
            4 => format!(
                "Ethnicity recording improved from {a:.0}% to {b:.0}%, so the equity analysis covered more women."
            ),
            5 => format!(
                "By the end of the project, {g} women were as likely as White British women to be offered {}.",
                self.object()
            ),
            6 => format!(
                "For women living in the most deprived quintile, the share who {} moved from {a:.0}% to {b:.0}%.",
                self.topic.process
            ),
            _ => format!(
                "Women from {g} backgrounds told us that {}.",
                self.rng.pick(FEEDBACK)
            ),
        }
    }

    pub fn learning_sentence(&mut self) -> String {
        match self.rng.below(6) {
            0 => format!("*{}*", self.rng.pick(LESSONS)),
            1 => format!(
                "{} said that {}.",
                upper_first(self.rng.pick(ACTORS)),
                self.rng.pick(STAFF_FEEDBACK)
            ),
            2 => format!("If we did this again, we would {}.", self.rng.pick(AGAIN)),
            3 => format!("The main barrier was {}.", self.rng.pick(BARRIERS)),
            4 => format!(
                "Other sites could adapt {} by starting {}.",
                self.object(),
                self.rng.pick(SETTINGS)
            ),
            _ => self.rng.pick(LESSONS).to_string(),
        }
    }
}
