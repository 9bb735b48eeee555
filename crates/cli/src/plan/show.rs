//! Printing a plan, its decisions and today's prescription. A blocked plan prints the
//! clinician-first message and nothing else.

use serde_json::json;
use soleus_model::plan::{Action, Today, condition_words, describe_run, exercise};

use super::events::View;
use crate::output::table;

/// The clinician-first message when the plan must not be followed yet.
fn blocked(view: &View) -> Option<String> {
    if let Some(msg) = &view.state.red_flag {
        return Some(msg.clone());
    }
    if !view.state.blocked {
        return None;
    }
    Some(view.plan.blocked.as_ref().map_or_else(
        || "See a clinician first; record the clearance (`soleus plan clear --clinician`) to start the plan.".to_owned(),
        |b| b.message.clone(),
    ))
}

fn print_blocked(view: &View, msg: &str, json: bool) -> anyhow::Result<u8> {
    if json {
        let red_flag = view.state.red_flag.is_some();
        let liftable = red_flag
            || view
                .plan
                .blocked
                .as_ref()
                .is_some_and(|b| b.lifted_by_clearance);
        let b = json!({
            "blocked": {
                "triage": view.plan.input.triage,
                "message": msg,
                "lifted_by_clearance": liftable,
                "red_flag": red_flag,
            }
        });
        println!("{}", serde_json::to_string_pretty(&b)?);
    } else {
        println!("{msg}");
    }
    Ok(0)
}

/// `soleus plan`: phases with entry and exit criteria, where the athlete is, today, and the
/// passive-treatment table.
pub(super) fn plan(view: &View, source: &str, json: bool) -> anyhow::Result<u8> {
    if let Some(msg) = blocked(view) {
        return print_blocked(view, &msg, json);
    }
    let p = &view.plan;
    if json {
        let doc = json!({
            "source": source,
            "plan": p,
            "state": view.state,
            "current_stage": p.stages[view.state.stage].id,
            "today": view.today,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    let from = match source {
        "assessment" => "from the latest assessment",
        _ => "started for a known condition",
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
    println!("\nPassive treatments: what each source page says and what the evidence says");
    let mut t = table(
        &[
            "Treatment",
            "Conventional page (LiveStrong)",
            "Sock Doc page and readers",
            "Evidence",
        ],
        &[],
    );
    for r in &p.treatments {
        let name = if r.contested && !r.name.to_lowercase().contains("contested") {
            format!("{} (CONTESTED)", r.name)
        } else {
            r.name.clone()
        };
        t.add_row(vec![
            name,
            r.seed_002.clone(),
            r.seed_000.clone(),
            format!("{} {}", r.evidence, crate::output::cite(&r.references)),
        ]);
    }
    println!("{t}");
    println!("{}", p.disclaimer);
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
pub(super) fn today(view: &View, json: bool) -> anyhow::Result<u8> {
    if json {
        // The model's document; when blocked it holds the message and nothing to do.
        println!("{}", serde_json::to_string_pretty(&view.today)?);
        return Ok(0);
    }
    if let Some(msg) = &view.today.blocked {
        println!("{msg}");
        return Ok(0);
    }
    print_today(&view.today);
    let stage = view
        .plan
        .stages
        .iter()
        .find(|s| Some(&s.id) == view.today.stage.as_ref());
    if let Some(s) = stage {
        println!("  Stage references: {}", crate::output::cite(&s.references));
    }
    Ok(0)
}

/// `soleus plan --history`: each decision with its reason, and the runs that exceeded their
/// stage.
pub(super) fn history(view: &View, json: bool) -> anyhow::Result<u8> {
    if json {
        let flagged: Vec<_> = view.decisions.iter().flat_map(|d| &d.flags).collect();
        let doc = json!({
            "started_on": view.plan.input.started_on,
            "current_stage": view.plan.stages.get(view.state.stage).map(|s| &s.id),
            "blocked": view.state.blocked,
            "decisions": view.decisions,
            "flagged_runs": flagged,
            "clearances": view.clearances,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    if view.decisions.is_empty() {
        println!(
            "No decisions yet: the plan started {} and nothing has been logged since.",
            view.plan.input.started_on
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
    let flags: Vec<_> = view.decisions.iter().flat_map(|d| &d.flags).collect();
    if !flags.is_empty() {
        println!("\nRuns that exceeded their stage:");
        for f in flags {
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
    let now = view
        .plan
        .stages
        .get(view.state.stage)
        .map(|s| s.id.as_str());
    println!("\nNow at stage {}.", now.unwrap_or("—"));
    Ok(0)
}
