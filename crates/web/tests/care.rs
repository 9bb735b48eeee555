//! The care pages over the real server: the check-in with its body map, the triage shown
//! first (and alone at URGENT or EMERGENCY), the assessment that starts the plan, the plan's
//! forms, today's exercise cards, and the questionnaires scored as published.

mod common;

use common::*;
use soleus_model::clinical::Region;

fn today() -> String {
    // The harness's profile says UTC, so the athlete's today is the UTC date.
    chrono::Utc::now().date_naive().to_string()
}

/// A gradual mid-portion Achilles ache with morning stiffness and no warning sign (knowledge
/// base §1.5): SELF_CARE, consistent with mid-portion tendinopathy.
fn achilles_form(date: &str) -> Vec<(&'static str, String)> {
    vec![
        ("date", date.to_owned()),
        ("side", "right".into()),
        ("regions", "ACHILLES_MID".into()),
        ("onset", "gradual".into()),
        ("days_since_onset", "21".into()),
        ("trend", "same".into()),
        ("breathless_or_chest_pain", "no".into()),
        ("can_bear_weight", "yes".into()),
        ("morning_stiffness_min", "15".into()),
        ("pain.now", "2".into()),
        ("pain.during_run", "4".into()),
        ("pain.after_run", "4".into()),
        ("pain.next_morning", "3".into()),
        ("character", "dull_ache".into()),
        ("character", "tightness".into()),
    ]
}

async fn post(s: &Spawned, path: &str, fields: &[(&str, String)]) -> Answer {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post_form(path, &f).await
}

/// The id in a `/checkin/{id}?saved=…` redirect.
fn checkin_id(a: &Answer) -> String {
    assert_eq!(a.status, 303, "{}", a.body);
    let loc = a.header("location");
    let rest = loc.strip_prefix("/checkin/").expect(loc);
    rest.split('?').next().unwrap().to_owned()
}

async fn journal_checkins(s: &Spawned) -> usize {
    s.app.checkins().await.unwrap().checkins.len()
}

#[tokio::test]
async fn the_check_in_page_has_every_region_on_the_map_and_as_a_labelled_checkbox() {
    let s = spawn_app("km", false).await;
    let a = s.get("/checkin").await;
    assert_page(&a, "/checkin");
    for (r, code) in Region::ALL.iter().zip(Region::CODES) {
        assert!(
            a.body.contains(&format!(r#"data-region="{code}""#)),
            "{code} on the map"
        );
        let box_ = format!(r#"<input type="checkbox" name="regions" value="{code}">"#);
        let i = a
            .body
            .find(&box_)
            .unwrap_or_else(|| panic!("{code} checkbox"));
        // The checkbox sits inside its label, which says the region in words.
        let label_end = a.body[i..].find("</label>").unwrap();
        assert!(
            a.body[i..i + label_end].contains(&askama_escape(r.name())),
            "{code} label"
        );
    }
    for view in ["Front", "Back", "Inside", "Outside", "Sole"] {
        assert!(
            a.body.contains(&format!(
                "<title id=\"map-{}-t\">{view} of the lower leg and foot</title>",
                view.to_lowercase()
            )),
            "{view} view"
        );
    }
    // Home tests come with how-tos and drawings; no pain log before a first check-in.
    assert!(a.body.contains("How to do this test safely"));
    assert!(a.body.contains("<title id=\"test-thompson-t\">"));
    assert!(!a.body.contains("action=\"/checkin/pain\""));
    assert!(!a.body.contains("style="), "no inline style under the CSP");
}

#[tokio::test]
async fn a_check_in_is_stored_and_its_result_shows_the_triage_first_then_the_assessment() {
    let s = spawn_app("km", false).await;
    let a = post(&s, "/checkin", &achilles_form(&today())).await;
    let id = checkin_id(&a);
    assert!(a.header("location").ends_with("?saved=checkin"));
    let rows = s.app.checkins().await.unwrap().checkins;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id.to_string(), id);
    // Both ticked characters were kept, as the model's parser reads them.
    let doc = serde_json::to_value(&rows[0].checkin).unwrap();
    assert_eq!(
        doc["character"],
        serde_json::json!(["dull_ache", "tightness"])
    );
    assert_eq!(doc["pain"]["during_run"], 4);

    let r = s.get(&format!("/checkin/{id}?saved=checkin")).await;
    assert_page(&r, "result");
    let triage = r.body.find("Triage: SELF_CARE").expect("triage shown");
    let consistent = r.body.find("What the picture is consistent with").unwrap();
    assert!(triage < consistent, "the triage comes first");
    assert!(r.body.contains("Check-in saved"));
    // §1.5: gradual mid-portion pain with morning stiffness.
    assert!(r.body.contains("(ACHILLES_MIDPORTION)"), "{}", r.body);

    // The list of past check-ins links to it with its triage.
    let list = s.get("/checkin").await;
    assert!(list.body.contains(&format!("href=\"/checkin/{id}\"")));
    assert!(list.body.contains("SELF_CARE: look after it yourself"));
}

#[tokio::test]
async fn a_bad_answer_comes_back_beside_its_question_and_nothing_is_stored() {
    let s = spawn_app("km", false).await;
    let mut f = achilles_form(&today());
    f.retain(|(k, _)| *k != "pain.now");
    f.push(("pain.now", "11".into()));
    let a = post(&s, "/checkin", &f).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(
        a.body.contains(r#"<p class="error" id="e-q-pain-now">"#),
        "{}",
        a.body
    );
    assert!(a.body.contains("0–10"));
    // What was typed is kept.
    assert!(a.body.contains(r#"value="ACHILLES_MID" checked"#));
    assert_eq!(journal_checkins(&s).await, 0);

    let mut f = achilles_form(&today());
    f.retain(|(k, _)| *k != "regions");
    let a = post(&s, "/checkin", &f).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains(r#"id="e-regions""#));
    // A day after today (UTC) is refused by the use case, beside the date.
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(2)).to_string();
    let a = post(&s, "/checkin", &achilles_form(&tomorrow)).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains(r#"id="e-date""#) && a.body.contains("in the future"));
    assert_eq!(journal_checkins(&s).await, 0);
}

#[tokio::test]
async fn an_emergency_check_in_shows_only_the_way_to_a_clinician_everywhere() {
    let s = spawn_app("km", false).await;
    let mut f = achilles_form(&today());
    f.retain(|(k, _)| *k != "breathless_or_chest_pain" && *k != "regions");
    f.push(("regions", "CALF_MID".into()));
    // assess_rules.toml: BREATHLESS_OR_CHEST_PAIN sets EMERGENCY (Wells03).
    f.push(("breathless_or_chest_pain", "yes".into()));
    let id = checkin_id(&post(&s, "/checkin", &f).await);
    let r = s.get(&format!("/checkin/{id}")).await;
    assert_page(&r, "emergency result");
    assert!(r.body.contains("Triage: EMERGENCY"));
    assert!(r.body.contains("clot has travelled to the lungs"));
    for absent in [
        "What the picture is consistent with",
        "Next steps",
        "Typical return to running",
        "Your own training load",
    ] {
        assert!(!r.body.contains(absent), "{absent} shown at EMERGENCY");
    }
    assert!(
        !r.body.contains("Save the assessment"),
        "nothing to do but see a clinician"
    );
    for path in ["/plan", "/today"] {
        let p = s.get(path).await;
        assert_page(&p, path);
        assert!(p.body.contains("See a clinician first"), "{path}");
        for absent in [
            "Stage ",
            "Exercises",
            "Start a plan",
            "Passive treatments",
            "Running</h2>",
        ] {
            assert!(!p.body.contains(absent), "{path} shows {absent}");
        }
    }
    // The JSON says the same.
    let j = s.get("/api/v1/plan").await.json();
    assert_eq!(j["blocked"]["triage"], "EMERGENCY", "{j}");
}

#[tokio::test]
async fn check_ins_that_do_not_exist_are_not_found() {
    let s = spawn_app("km", false).await;
    assert_eq!(s.get("/checkin/9999").await.status, 404);
    assert_eq!(s.get("/checkin/abc").await.status, 404);
    let a = s.get("/api/v1/assessment?checkin=9999").await;
    assert_eq!(a.status, 404);
    assert_eq!(a.json()["error"]["status"], 404);
    // With no check-in at all, the pain log has nothing to continue: a conflict, nothing saved.
    let a = s.post_form("/checkin/pain", &[("during", "3")]).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(journal_checkins(&s).await, 0);
}

#[tokio::test]
async fn the_quick_pain_log_continues_the_last_check_in() {
    let s = spawn_app("km", false).await;
    post(&s, "/checkin", &achilles_form(&today())).await;
    let page = s.get("/checkin").await;
    assert!(page.body.contains("action=\"/checkin/pain\""));
    let a = s.post_form("/checkin/pain", &[("during", "11")]).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("e-pain"), "{}", a.body);
    let a = s.post_form("/checkin/pain", &[("during", "x")]).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains(r#"id="e-during""#));
    assert_eq!(
        journal_checkins(&s).await,
        1,
        "nothing saved from a bad log"
    );
    let a = s
        .post_form("/checkin/pain", &[("during", "3"), ("next_morning", "2")])
        .await;
    checkin_id(&a);
    assert!(a.header("location").ends_with("?saved=pain"));
    let rows = s.app.checkins().await.unwrap().checkins;
    assert_eq!(rows.len(), 2);
    let last = serde_json::to_value(&rows[1].checkin).unwrap();
    assert_eq!(last["regions"], serde_json::json!(["ACHILLES_MID"]));
    assert_eq!(last["pain"]["during_run"], 3);
    assert_eq!(last["pain"]["next_morning"], 2);
}

#[tokio::test]
async fn the_check_in_api_takes_the_cli_document_and_names_a_bad_field() {
    let s = spawn_app("km", false).await;
    let doc = serde_json::json!({"date": today(), "side": "left", "regions": ["TIBIA_PM_DISTAL"], "onset": "gradual"});
    let a = s.post_json("/api/v1/checkins", &doc).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["triage"], "SELF_CARE");
    let list = s.get("/api/v1/checkins").await.json();
    assert_eq!(list["checkins"].as_array().unwrap().len(), 1);
    let bad = serde_json::json!({"date": today(), "side": "left", "regions": ["KNEE"]});
    let a = s.post_json("/api/v1/checkins", &bad).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.json()["error"]["field"], "regions", "{}", a.body);
    assert_eq!(
        s.get("/api/v1/checkins").await.json()["checkins"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let p = s
        .post_json("/api/v1/pain", &serde_json::json!({"after": 4}))
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let looked = s.get("/api/v1/assessment").await.json();
    assert_eq!(looked["triage"], "SELF_CARE");
    assert!(
        looked.get("assessment_id").is_none(),
        "looking saves nothing"
    );
}

#[tokio::test]
async fn saving_the_assessment_starts_the_plan_and_today_shows_cards_with_drawings() {
    let s = spawn_app("km", false).await;
    let id = checkin_id(&post(&s, "/checkin", &achilles_form(&today())).await);
    let a = s.post_form("/assessment", &[("checkin_id", &id)]).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location"), "/plan?saved=assessment");
    let p = s.get("/plan?saved=assessment").await;
    assert_page(&p, "/plan");
    assert!(p.body.contains("Assessment saved"));
    assert!(
        p.body.contains("mid-portion") || p.body.contains("Achilles"),
        "{}",
        p.body
    );
    assert!(p.body.contains("You are here"));
    assert!(p.body.contains(r#"aria-current="step""#));
    assert!(p.body.contains("Entry</dt>") && p.body.contains("Exit</dt>"));
    // treatments.toml marks ice, stretching and orthotics contested: labelled in words.
    assert!(
        p.body
            .contains(r#"<span class="contested">CONTESTED</span>"#)
    );
    assert!(p.body.contains("Conventional school") && p.body.contains("Barefoot school"));
    let j = s.get("/api/v1/plan").await.json();
    assert_eq!(
        j["plan"]["input"]["condition"], "ACHILLES_MIDPORTION",
        "{j}"
    );
    let h = s.get("/api/v1/plan/history").await;
    assert_eq!(h.status, 200);

    let t = s.get("/today").await;
    assert_page(&t, "/today");
    let today = s.app.today(None).await.unwrap();
    let soleus_app::plan::PlanAnswer::Shown(tv) = today else {
        panic!("a plan to follow")
    };
    for e in &tv.today.exercises {
        assert!(t.body.contains(&askama_escape(&e.name)), "{}", e.name);
        assert!(t.body.contains(&askama_escape(&e.dose)), "{}", e.dose);
    }
    assert!(t.body.contains("Acceptable pain"));
    assert!(t.body.contains(&askama_escape(&tv.today.run)));
    // Every card has at least one drawing, each an image with a name.
    assert!(
        !tv.today.exercises.is_empty(),
        "a tendon plan has exercises from day one"
    );
    assert!(
        t.body.matches("<figure class=\"calf\">").count() >= tv.today.exercises.len(),
        "{}",
        t.body
    );
    assert!(t.body.contains("role=\"img\""));
}

#[tokio::test]
async fn a_plan_for_a_known_condition_its_checklist_and_clearance_take_their_forms() {
    let s = spawn_app("km", false).await;
    // Bad grade: beside its field, no plan saved.
    let a = s
        .post_form(
            "/plan/start",
            &[
                ("condition", "SOLEUS_STRAIN"),
                ("grade", "7"),
                ("triage", "SELF_CARE"),
                ("side", "left"),
            ],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains(r#"id="e-grade""#));
    assert!(
        a.body.contains(r#"value="SOLEUS_STRAIN" selected"#),
        "what was chosen is kept"
    );
    assert!(matches!(
        s.app.plan().await.unwrap(),
        soleus_app::plan::PlanAnswer::NoPlan { .. }
    ));
    let a = s.post_form("/plan/start", &[("grade", "2")]).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains(r#"id="e-condition""#));

    let a = s
        .post_form(
            "/plan/start",
            &[
                ("condition", "SOLEUS_STRAIN"),
                ("grade", "2"),
                ("triage", "SELF_CARE"),
                ("side", "left"),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location"), "/plan?saved=plan");
    let p = s.get("/plan").await;
    assert!(p.body.contains("soleus"), "{}", p.body);
    assert!(
        p.body.contains("Return-to-run checklist"),
        "a calf strain has the checklist"
    );

    let a = s
        .post_form(
            "/plan/checklist",
            &[
                ("raises", "25"),
                ("side_diff_pct", "5"),
                ("palpation_pain", "11"),
                ("knee_to_wall_diff_pct", "3"),
            ],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains(r#"id="e-palpation_pain""#));
    let a = s
        .post_form(
            "/plan/checklist",
            &[
                ("raises", "25"),
                ("side_diff_pct", "5"),
                ("palpation_pain", "1"),
                ("knee_to_wall_diff_pct", "3"),
                ("daily_life_pain_free", "yes"),
            ],
        )
        .await;
    assert_eq!(a.header("location"), "/plan?saved=checklist", "{}", a.body);

    let a = s.post_form("/plan/clearance", &[("note", "fine")]).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains(r#"id="e-clinician""#));
    let a = s
        .post_form(
            "/plan/clearance",
            &[("clinician", "Dr <Ada>"), ("note", "may run")],
        )
        .await;
    assert_eq!(a.header("location"), "/plan?saved=clearance");
    let p = s.get("/plan").await;
    assert!(p.body.contains(&askama_escape("Dr <Ada>")) && !p.body.contains("Dr <Ada>"));

    let t = s.get("/today").await;
    assert_page(&t, "/today");
    // A soleus plan's first stage: the card names the working muscle when its exercise is one
    // of the calf's (bent knee: soleus).
    let soleus_app::plan::PlanAnswer::Shown(tv) = s.app.today(None).await.unwrap() else {
        panic!("the plan may be followed after the clearance")
    };
    let ids: Vec<&str> = tv.today.exercises.iter().map(|e| e.id.as_str()).collect();
    // A soleus strain's early stages load the soleus with the knee bent (plan_rules.toml).
    assert!(
        ids.iter()
            .any(|i| matches!(*i, "E3" | "E4" | "SEATED_SOLEUS")),
        "{ids:?}"
    );
    assert!(t.body.contains("soleus: working"), "{ids:?}");
    assert!(t.body.contains("knee bent"));
}

#[tokio::test]
async fn the_dashboard_says_the_pain_the_plan_accepts_as_the_plan_does() {
    // Without a plan: the pain-monitoring model's 5/10 of the overload checks.
    let s = spawn_app("km", false).await;
    post(&s, "/checkin", &achilles_form(&today())).await;
    let d = s.get("/").await;
    assert_page(&d, "/ without a plan");
    assert!(
        d.body.contains("Pain up to 5 of 10 during a run"),
        "{}",
        d.body
    );

    // A soleus strain's plan (muscle: above 3/10 steps back, plan_rules.toml) says 3/10 on the
    // dashboard's pain chart, as it does beside today's exercises.
    let a = s
        .post_form(
            "/plan/start",
            &[
                ("condition", "SOLEUS_STRAIN"),
                ("grade", "2"),
                ("triage", "SELF_CARE"),
                ("side", "left"),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let a = s
        .post_form(
            "/plan/clearance",
            &[("clinician", "Dr Ada"), ("note", "may run")],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let d = s.get("/").await;
    assert_page(&d, "/ with a plan");
    assert!(
        d.body.contains("Your plan accepts pain up to 3 of 10"),
        "{}",
        d.body
    );
    assert!(!d.body.contains("up to 5 of 10"), "{}", d.body);
    let soleus_app::plan::PlanAnswer::Shown(t) = s.app.today(None).await.unwrap() else {
        panic!("the plan may be followed after the clearance")
    };
    let said: Vec<&str> = t
        .today
        .exercises
        .iter()
        .map(|e| e.acceptable_pain.as_str())
        .collect();
    assert!(
        said.iter().any(|p| p.contains("Up to 3/10")) && !said.iter().any(|p| p.contains("5/10")),
        "{said:?}"
    );
}

/// The answers of a questionnaire form: `a-ID` = value.
fn answers(date: &str, items: &[(&str, &str)]) -> Vec<(String, String)> {
    std::iter::once(("date".to_owned(), date.to_owned()))
        .chain(
            items
                .iter()
                .map(|(k, v)| (format!("a-{k}"), (*v).to_owned())),
        )
        .collect()
}

async fn post_owned(s: &Spawned, path: &str, f: &[(String, String)]) -> Answer {
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    s.post_form(path, &f).await
}

#[tokio::test]
async fn questionnaires_are_scored_as_published() {
    let s = spawn_app("km", false).await;
    let f = s.get("/scores/OSTRC_O2").await;
    assert_page(&f, "OSTRC form");
    assert_eq!(f.body.matches("<fieldset class=\"item\">").count(), 4);
    // Each question is numbered and its answers are worded as a person answers, without the
    // points each one scores.
    assert!(f.body.contains("Question 1 of 4") && f.body.contains("Question 4 of 4"));
    assert!(
        f.body
            .contains("<span>full participation, no problem</span>")
    );
    assert!(f.body.contains("<span>could not take part</span>"));
    assert!(
        !f.body.contains("points)") && !f.body.contains("(0 point"),
        "{}",
        f.body
    );
    // OSTRC-O2 (Clarsen20): each question scores 0, 8, 17 or 25 by the option chosen:
    // Q1 "full participation, but with a problem" 8 + Q2 "moderately" 17 + Q3 "not at all" 0
    // + Q4 "severe" 25 = 50.
    let a = post_owned(
        &s,
        "/scores/OSTRC_O2",
        &answers(
            "2026-11-02",
            &[("Q1", "1"), ("Q2", "2"), ("Q3", "0"), ("Q4", "3")],
        ),
    )
    .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert!(a.header("location").contains("saved=score"));
    let v = s.app.scores().await.unwrap();
    assert_eq!(v.scores.len(), 1);
    assert_eq!(v.scores[0].scored.total, 50);
    // VISA-A (Robinson01): items 1–6 are 0–10 each; item 7 scores 0, 4, 7 or 10 ("full
    // training, below the level before symptoms" = 7); item 8 branch B ("hurts but can
    // finish"), 21–30 minutes, scores 14. Six on each of items 1–6 = 36, + 7 + 14 = 57.
    let mut items: Vec<(&str, &str)> = ["1", "2", "3", "4", "5", "6"]
        .iter()
        .map(|i| (*i, "6"))
        .collect();
    items.push(("7", "2"));
    items.push(("8", "3"));
    let mut f = answers("2026-11-02", &items);
    f.push(("a-8-branch".into(), "B".into()));
    let a = post_owned(&s, "/scores/VISA_A", &f).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let v = s.app.scores().await.unwrap();
    let visa = v
        .scores
        .iter()
        .find(|r| r.scored.instrument == "VISA_A")
        .unwrap();
    assert_eq!(visa.scored.total, 57);
    let page = s.get("/scores").await;
    assert_page(&page, "/scores");
    assert!(page.body.contains("57 / 100") && page.body.contains("50 / 100"));
    // The studies as people read them (data/references.toml), never the files' keys.
    assert!(
        page.body
            .contains("Source: Robinson 2001, Br J Sports Med."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Robinson01"), "{}", page.body);
}

#[tokio::test]
async fn a_questionnaire_with_an_item_missing_is_refused_and_nothing_is_saved() {
    let s = spawn_app("km", false).await;
    let a = post_owned(
        &s,
        "/scores/OSTRC_O2",
        &answers("2026-11-02", &[("Q1", "1"), ("Q2", "2")]),
    )
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains(r#"id="e-answers""#));
    assert!(
        a.body.contains(r#"value="1" checked"#),
        "answers given are kept"
    );
    let a = post_owned(&s, "/scores/OSTRC_O2", &answers("someday", &[("Q1", "1")])).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains(r#"id="e-date""#));
    assert!(s.app.scores().await.unwrap().scores.is_empty());
    // Unknown questionnaires and results are not found.
    assert_eq!(s.get("/scores/NOPE").await.status, 404);
    assert_eq!(s.post_form("/scores/9999/delete", &[]).await.status, 404);
    let bad = serde_json::json!({"instrument": "LEFS", "version": "Binkley99", "date": "2026-11-02", "answers": {"1": 9}});
    let a = s.post_json("/api/v1/scores", &bad).await;
    assert_eq!(a.status, 422);
    assert_eq!(a.json()["error"]["field"], "answers");
}

#[tokio::test]
async fn the_lefs_trend_is_drawn_against_its_smallest_meaningful_change_and_a_result_can_be_deleted()
 {
    let s = spawn_app("km", false).await;
    // LEFS (Binkley99): 20 items of 0–4 points; all "moderate difficulty" (2) = 40, all
    // "a little difficulty" (3) = 60. The change of +20 passes the 9-point MCID.
    for (date, v) in [("2026-10-01", "2"), ("2026-11-01", "3")] {
        let items: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
        let pairs: Vec<(&str, &str)> = items.iter().map(|i| (i.as_str(), v)).collect();
        let a = post_owned(&s, "/scores/LEFS", &answers(date, &pairs)).await;
        assert_eq!(a.status, 303, "{}", a.body);
    }
    let page = s.get("/scores").await;
    assert!(page.body.contains("40 / 80") && page.body.contains("60 / 80"));
    assert!(page.body.contains("+20"));
    assert!(
        page.body.contains("better, meaningful: ≥ 9"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"aria-labelledby="trend-lefs-title trend-lefs-desc""#)
    );
    assert!(page.body.contains(r#"<rect class="band""#));
    assert!(page.body.contains("first result ±9"));
    let j = s.get("/api/v1/scores").await.json();
    assert_eq!(j["trends"]["LEFS"][0]["change"], 20);
    let id = j["scores"][0]["id"].to_string();
    let a = s.post_form(&format!("/scores/{id}/delete"), &[]).await;
    assert_eq!(a.header("location"), "/scores?saved=deleted");
    assert_eq!(s.app.scores().await.unwrap().scores.len(), 1);
}

#[tokio::test]
async fn the_plan_api_starts_a_plan_from_the_cli_fields_and_names_a_bad_one() {
    let s = spawn_app("km", false).await;
    let bad = serde_json::json!({"condition": "KNEE"});
    let a = s.post_json("/api/v1/plan", &bad).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.json()["error"]["field"], "condition");
    assert_eq!(
        s.get("/api/v1/plan").await.json()["plan"],
        serde_json::Value::Null
    );
    let doc = serde_json::json!({"condition": "mtss", "side": "left"});
    let a = s.post_json("/api/v1/plan", &doc).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["condition"], "MTSS");
    let j = s.get("/api/v1/plan").await.json();
    assert_eq!(j["plan"]["input"]["condition"], "MTSS", "{j}");
    let c = s
        .post_json(
            "/api/v1/plan/clearance",
            &serde_json::json!({"name": "Dr Lee"}),
        )
        .await;
    assert_eq!(c.status, 200, "{}", c.body);
    assert_eq!(c.json()["name"], "Dr Lee");
}
