//! Printing a plan, its decisions and today's prescription. A blocked plan prints the
//! clinician-first message and nothing else.

use soleus_app::plan::{HistoryView, PlanAnswer, PlanView, TodayView};
use soleus_model::plan::{Action, PlanSource, Today, condition_words, describe_run, exercise};

use crate::output::table;

/// Prints the answer when there is no plan to show (the way to a clinician, or no plan yet),
/// and gives back the plan's view otherwise.
fn shown<T: serde::Serialize>(answer: &PlanAnswer<T>, json: bool) -> anyhow::Result<Option<&T>> {
    match answer {
        PlanAnswer::Shown(view) => return Ok(Some(view)),
        PlanAnswer::Blocked(b) if json => crate::output::print_json_sorted(b)?,
        PlanAnswer::Blocked(b) => println!("{}", b.blocked.message),
        PlanAnswer::NoPlan { .. } if json => println!("{}", serde_json::to_string(answer)?),
        PlanAnswer::NoPlan { .. } => println!(
            "No plan yet: run `soleus assess`, or start one for a known condition with `soleus plan start --condition CODE`."
        ),
    }
    Ok(None)
}

/// `soleus plan`: phases with entry and exit criteria, where the athlete is, today, and the
/// passive-treatment table.
pub(super) fn plan(answer: &PlanAnswer<PlanView>, json: bool) -> anyhow::Result<u8> {
    let Some(view) = shown(answer, json)? else {
        return Ok(0);
    };
    if json {
        crate::output::print_json_sorted(view)?;
        return Ok(0);
    }
    let p = &view.plan;
    let from = match view.source {
        PlanSource::Assessment => "from the latest assessment",
        PlanSource::Clinician => "started for a known condition",
    };
    println!(
        "Plan for a picture consistent with {} ({from}), started {}.",
        condition_words(p.input.condition),
        p.input.started_on
    );
    for c in &p.cautions {
        println!("Caution: {c}");
    }
    if let Some(m) = &p.model {
        println!(
            "Pain rule: up to {}/10 during and after counts towards moving on; above {}/10 steps back one stage with {} days without running{} [{}].",
            m.advance_max,
            m.step_back_above,
            m.rest_days,
            if m.weekly_creep {
                "; next-morning pain must not creep up week to week"
            } else {
                ""
            },
            soleus_model::references::cite_all(&m.references)
        );
    }
    println!("\nStages");
    for (i, s) in p.stages.iter().enumerate() {
        let mark = if i == view.state.stage {
            format!("  <- you are here (since {})", view.state.stage_since)
        } else {
            String::new()
        };
        println!("{} {}: {}{mark}", s.id, s.phase, describe_run(s.run));
        println!("    Entry: {}", s.entry);
        println!("    Exit:  {}", s.exit);
        let ex: Vec<String> = s
            .exercises
            .iter()
            .filter(|e| e.id != "WALK_RUN")
            .map(|e| {
                let name = exercise(&e.id).map_or(e.id.as_str(), |x| x.name.as_str());
                format!("{name} ({})", e.dose)
            })
            .collect();
        if !ex.is_empty() {
            println!("    Exercises: {}", ex.join("; "));
        }
        println!("    {}", crate::output::cite(&s.references));
    }
    println!();
    print_today(&view.today);
    // A list rather than a four-column table: the texts are sentences, and as columns they
    // made lines of some 320 characters.
    println!("\nPassive treatments: what each source page says and what the evidence says");
    for r in &p.treatments {
        let name = if r.contested && !r.name.to_lowercase().contains("contested") {
            format!("{} (CONTESTED)", r.name)
        } else {
            r.name.clone()
        };
        println!("\n{name}");
        for (label, text) in [
            ("Conventional page (LiveStrong)", r.seed_002.clone()),
            ("Sock Doc page and readers", r.seed_000.clone()),
            (
                "Evidence",
                format!("{} {}", r.evidence, crate::output::cite(&r.references)),
            ),
        ] {
            let line = format!("  {label}: {}", text.trim_end());
            println!("{}", crate::output::wrap(&line, crate::output::WIDTH, 4));
        }
    }
    println!();
    println!(
        "{}",
        crate::output::wrap(&p.disclaimer, crate::output::WIDTH, 0)
    );
    Ok(0)
}

fn print_today(t: &Today) {
    println!(
        "Today, {}: stage {} ({})",
        t.date,
        t.stage.as_deref().unwrap_or("—"),
        t.phase.as_deref().unwrap_or("—")
    );
    for e in &t.exercises {
        let named = e.name.to_lowercase().contains("contested");
        let label = match (e.contested, e.low_evidence) {
            (true, _) if named => "",
            (true, _) => " (CONTESTED)",
            (false, true) => " (low evidence, optional)",
            _ => "",
        };
        println!(
            "  - {}{label}: {}\n      Acceptable pain: {} {}",
            e.name,
            e.dose,
            e.acceptable_pain,
            crate::output::cite(&e.references)
        );
    }
    println!("  Run: {}", t.run);
    println!("  Log afterwards:");
    for l in &t.log {
        println!("    - {l}");
    }
    if !t.to_move_on.is_empty() {
        println!("  Still needed to move on:");
        for m in &t.to_move_on {
            println!("    - {m}");
        }
    }
}

/// `soleus today`.
pub(super) fn today(answer: &PlanAnswer<TodayView>, json: bool) -> anyhow::Result<u8> {
    let Some(view) = shown(answer, json)? else {
        return Ok(0);
    };
    if json {
        // The model's document; when blocked it holds the message and nothing to do.
        crate::output::print_json(view)?;
        return Ok(0);
    }
    if let Some(msg) = &view.today.blocked {
        println!("{msg}");
        return Ok(0);
    }
    print_today(&view.today);
    if let Some(refs) = &view.stage_references {
        println!("  Stage references: {}", crate::output::cite(refs));
    }
    Ok(0)
}

/// `soleus plan --history`: each decision with its reason, and the runs that exceeded their
/// stage.
pub(super) fn history(answer: &PlanAnswer<HistoryView>, json: bool) -> anyhow::Result<u8> {
    let Some(view) = shown(answer, json)? else {
        return Ok(0);
    };
    if json {
        crate::output::print_json_sorted(view)?;
        return Ok(0);
    }
    if view.decisions.is_empty() {
        println!(
            "No decisions yet: the plan started {} and nothing has been logged since.",
            view.started_on
        );
        return Ok(0);
    }
    let mut t = table(
        &["Date", "Decision", "Stage", "Rule", "Reason", "Refs"],
        &[],
    );
    for d in &view.decisions {
        let action = match d.action {
            Action::Advance => "advance",
            Action::Hold => "hold",
            Action::StepBack => "step back",
        };
        let stage = if d.from_stage == d.to_stage {
            d.from_stage.clone()
        } else {
            format!("{} -> {}", d.from_stage, d.to_stage)
        };
        t.add_row(vec![
            d.date.to_string(),
            action.into(),
            stage,
            d.rule.clone(),
            d.reason.clone(),
            soleus_model::references::cite_all(&d.references),
        ]);
    }
    println!("{t}");
    if !view.flagged_runs.is_empty() {
        println!("\nRuns that exceeded their stage:");
        for f in &view.flagged_runs {
            println!("  {} {}: {}", f.date, f.code, f.message);
        }
    }
    if !view.clearances.is_empty() {
        println!("\nClinician clearances:");
        for c in &view.clearances {
            println!(
                "  {} by {}{}",
                c.date,
                c.name.as_deref().unwrap_or("a clinician"),
                c.note
                    .as_deref()
                    .map_or(String::new(), |n| format!(": {n}"))
            );
        }
    }
    println!(
        "\nNow at stage {}.",
        view.current_stage.as_deref().unwrap_or("—")
    );
    Ok(0)
}
