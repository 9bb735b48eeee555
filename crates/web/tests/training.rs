//! The training pages over the real server: activities sorted and filtered as the app's own
//! list is when sorted independently here, the activity's charts, shoe and effort forms; the
//! shoes page; the energy widget in pounds and feet and inches against values worked by hand
//! from the formulas in the knowledge base; and each route's JSON, mistakes and missing things.

mod common;

use chrono::Datelike;
use common::*;

/// The app's own list, for the expected answers.
async fn listed(s: &Spawned) -> Vec<soleus_app::activities::ActivityListed> {
    s.app.activities(None, None).await.unwrap().activities
}

/// The activity ids in a page's table, in order.
fn ids_in(body: &str) -> Vec<String> {
    body.split("<th scope=\"row\"><a href=\"/activities/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn the_list_sorts_by_each_key_as_the_app_list_sorted_here() {
    let s = spawn_app("miles", true).await;
    let all = listed(&s).await;
    let by = |key: &dyn Fn(&soleus_app::activities::ActivityListed) -> f64, desc: bool| {
        let mut v: Vec<_> = all.iter().map(|l| (key(l), l.id.to_string())).collect();
        v.sort_by(|a, b| {
            let o = a.0.total_cmp(&b.0);
            if desc { o.reverse() } else { o }
        });
        v.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    let distance = |l: &soleus_app::activities::ActivityListed| l.distance_km.unwrap();
    let time = |l: &soleus_app::activities::ActivityListed| l.moving_s.or(l.elapsed_s).unwrap();
    let pace = |l: &soleus_app::activities::ActivityListed| l.pace_s_per_km.unwrap();
    let start = |l: &soleus_app::activities::ActivityListed| l.start.clone();
    let mut oldest: Vec<_> = all.iter().map(|l| (start(l), l.id.to_string())).collect();
    oldest.sort();
    let oldest: Vec<String> = oldest.into_iter().map(|p| p.1).collect();
    for (query, expected) in [
        ("sort=distance&order=desc", by(&distance, true)),
        ("sort=distance&order=asc", by(&distance, false)),
        ("sort=time&order=desc", by(&time, true)),
        ("sort=pace", by(&pace, false)),
        ("sort=pace&order=desc", by(&pace, true)),
        ("sort=date&order=asc", oldest.clone()),
    ] {
        let a = s.get(&format!("/activities?{query}")).await;
        assert_page(&a, query);
        assert_eq!(ids_in(&a.body), expected, "{query}");
        // The JSON list takes the same query.
        let doc = s.get(&format!("/api/v1/activities?{query}")).await.json();
        let ids: Vec<String> = doc["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].to_string())
            .collect();
        assert_eq!(ids, expected, "JSON {query}");
    }
    // The three runs differ in distance, so the distance order is not the default one.
    let newest: Vec<String> = oldest.iter().rev().cloned().collect();
    assert!(by(&distance, true) != newest || by(&distance, false) != newest);
    let a = s.get("/activities?sort=pace").await;
    assert!(a.body.contains("sorted by pace, fastest first"));
    assert!(
        a.body.contains(" /mi<"),
        "paces in the athlete's unit: miles"
    );
    assert!(
        a.body.contains(r#"<option value="pace" selected>"#),
        "the form keeps the choice"
    );
}

#[tokio::test]
async fn the_list_filters_by_day_and_sport_and_the_filter_survives_in_the_links() {
    let s = spawn_app("km", true).await;
    let all = listed(&s).await;
    let from = day("2013-06-15");
    let mut expected: Vec<_> = all
        .iter()
        .filter(|l| l.local_date.parse::<chrono::NaiveDate>().unwrap() >= from)
        .collect();
    expected.sort_by(|a, b| b.start.cmp(&a.start));
    let expected: Vec<String> = expected.iter().map(|l| l.id.to_string()).collect();
    assert_eq!(expected.len(), 2, "two of the three runs are after June 15");
    let a = s.get("/activities?from=2013-06-15&to=2013-06-30").await;
    assert_page(&a, "filtered");
    assert_eq!(ids_in(&a.body), expected);
    assert!(a.body.contains("2 of 2 (of 3 in all)"), "{}", a.body);
    assert!(
        a.body.contains(r#"value="2013-06-15""#),
        "the form shows the filter"
    );

    let sport = all[0].sport;
    let a = s.get(&format!("/activities?sport={sport}")).await;
    assert_eq!(
        ids_in(&a.body).len(),
        all.iter().filter(|l| l.sport == sport).count()
    );
    let a = s.get("/activities?sport=swim").await;
    assert_page(&a, "no swims");
    assert!(ids_in(&a.body).is_empty() && a.body.contains("No activity matches"));
}

#[tokio::test]
async fn page_links_keep_sort_and_filter() {
    let s = spawn_app("km", false).await;
    assert_eq!(
        s.get("/activities?page=2").await.status,
        404,
        "no second page of nothing"
    );
    // Every TCX file of the corpus: more activities than one page holds.
    s.app
        .import(
            &[corpus("tcx")],
            &soleus_app::import::ImportOptions::default(),
            &mut soleus_app::import::NoProgress,
        )
        .await
        .unwrap();
    let all = listed(&s).await;
    assert!(all.len() > 25, "{} activities", all.len());
    let mut expected: Vec<_> = all
        .iter()
        .map(|l| {
            (
                l.distance_km.unwrap_or(0.0),
                l.start.clone(),
                l.id.to_string(),
            )
        })
        .collect();
    // Longest first; equal distances newest first, as the page orders ties.
    expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    let expected: Vec<String> = expected.into_iter().map(|e| e.2).collect();

    let first = s.get("/activities?sort=distance&order=desc").await;
    assert_page(&first, "page 1");
    assert_eq!(ids_in(&first.body), expected[..25]);
    let next = r#"<a href="/activities?sort=distance&#38;order=desc&amp;page=2" rel="next">"#;
    assert!(
        first.body.contains(next),
        "the next link keeps the sort: {}",
        first.body
    );
    let second = s.get("/activities?sort=distance&order=desc&page=2").await;
    assert_page(&second, "page 2");
    assert_eq!(ids_in(&second.body), expected[25..]);
    assert!(
        second.body.contains(
            r#"<a href="/activities?sort=distance&#38;order=desc&amp;page=1" rel="prev">"#
        )
    );
    let past = s
        .get(&format!("/activities?sort=distance&page={}", all.len()))
        .await;
    assert_eq!(past.status, 404);

    // A filter that leaves one page has no page links.
    let june = s.get("/activities?from=2013-06-01&to=2013-06-30").await;
    let in_june = all
        .iter()
        .filter(|l| l.local_date.starts_with("2013-06"))
        .count();
    assert_eq!(ids_in(&june.body).len(), in_june.min(25));
    if in_june <= 25 {
        assert!(!june.body.contains(r#"rel="next""#));
    }
}

#[tokio::test]
async fn a_bad_sort_or_date_comes_back_beside_its_field() {
    let s = spawn_app("km", true).await;
    for (query, field, words) in [
        ("sort=speed", "sort", "is not one of"),
        ("from=June", "from", "is not a date"),
        ("from=2013-06-30&to=2013-06-01", "from", "is after"),
        ("sport=quidditch", "sport", "not one Soleus knows"),
        ("order=up", "order", "is not asc or desc"),
    ] {
        let a = s.get(&format!("/activities?{query}")).await;
        assert_eq!(a.status, 422, "{query}");
        assert!(
            a.body.contains(&format!(r#"id="e-{field}""#)),
            "{query}: {}",
            a.body
        );
        assert!(a.body.contains(words), "{query}");
        let j = s.get(&format!("/api/v1/activities?{query}")).await;
        assert_eq!(j.status, 422);
        assert_eq!(j.json()["error"]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn the_activity_page_has_charts_with_titles_and_tables() {
    let s = spawn_app("miles", true).await;
    let id = s.first_id().await;
    let a = s.get(&format!("/activities/{id}")).await;
    assert_page(&a, "activity");
    for chart in ["elevation", "pace", "hr"] {
        assert!(
            a.body.contains(&format!(
                r#"aria-labelledby="{chart}-chart-title {chart}-chart-desc""#
            )),
            "{chart} chart"
        );
        assert!(
            a.body
                .contains(&format!(r#"<desc id="{chart}-chart-desc">"#))
        );
    }
    assert!(a.body.contains("The numbers behind the pace chart"));
    assert!(
        a.body.contains("Elevation, ft"),
        "elevation in feet with miles"
    );
    assert!(a.body.contains("Pace, min/mi"));
    // Downsampled: no chart path has more than the points it may draw.
    for path in a.body.split(r#"class="line s1" d=""#).skip(1) {
        let d = &path[..path.find('"').unwrap()];
        assert!(d.matches(['M', 'L']).count() <= 240, "{} points", d.len());
    }
    let samples = s.app.activity(id, None).await.unwrap().sample_count;
    assert!(
        samples > 240,
        "the file has more samples ({samples}) than a chart draws"
    );
    // Nothing at ids that name nothing.
    assert_eq!(s.get("/activities/999999").await.status, 404);
    assert_eq!(s.get("/activities/abc").await.status, 404);
    assert_eq!(s.get("/api/v1/activities/999999").await.status, 404);
}

#[tokio::test]
async fn effort_is_saved_shown_and_checked_against_the_scale() {
    let s = spawn_app("km", true).await;
    let id = s.first_id().await;
    let a = s
        .post_form(&format!("/activities/{id}/rpe"), &[("rpe", "7")])
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location"), format!("/activities/{id}?saved=rpe"));
    let rpe = s
        .app
        .store()
        .summaries()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == id)
        .unwrap()
        .summary
        .rpe;
    assert_eq!(rpe, Some(7));
    let page = s.get(&format!("/activities/{id}?saved=rpe")).await;
    assert!(page.body.contains("Effort saved"));
    assert!(page.body.contains("<dd>7 of 10</dd>"));
    assert!(page.body.contains(r#"value="7" checked"#));

    for bad in ["11", "hard", ""] {
        let a = s
            .post_form(&format!("/activities/{id}/rpe"), &[("rpe", bad)])
            .await;
        assert_eq!(a.status, 422, "{bad}");
        assert!(a.body.contains(r#"id="e-rpe""#), "{bad}: beside the field");
    }
    let j = s
        .post_json(
            &format!("/api/v1/activities/{id}/rpe"),
            &serde_json::json!({"rpe": 4}),
        )
        .await;
    assert_eq!(j.status, 200, "{}", j.body);
    assert_eq!(j.json()["rpe"], 4);
    let j = s
        .post_json(
            &format!("/api/v1/activities/{id}/rpe"),
            &serde_json::json!({"rpe": 12}),
        )
        .await;
    assert_eq!(
        (j.status, j.json()["error"]["field"].clone()),
        (422, "rpe".into())
    );
    let missing = s.post_form("/activities/999999/rpe", &[("rpe", "5")]).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn a_shoe_is_added_assigned_retired_and_its_distance_is_in_the_athletes_unit() {
    let s = spawn_app("miles", true).await;
    let a = s
        .post_form(
            "/shoes",
            &[
                ("name", "Trainer"),
                ("brand", "Acme"),
                ("drop_mm", "10"),
                ("retire_at", "400"),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location"), "/shoes?saved=shoe");
    let shoes = s.app.shoes().await.unwrap();
    assert_eq!(shoes.len(), 1);
    // 400 miles = 643.7 km.
    assert!(
        (shoes[0].retire_km - 643.7376).abs() < 0.01,
        "{}",
        shoes[0].retire_km
    );
    let shoe = shoes[0].id;

    let id = s.first_id().await;
    let a = s
        .post_form(
            &format!("/activities/{id}/shoe"),
            &[("shoe", &shoe.to_string())],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let act = s.app.activity(id, None).await.unwrap();
    assert_eq!(act.activity.shoe.as_deref(), Some("Trainer"));
    let km = s.app.shoes().await.unwrap()[0].km;
    assert!(km > 0.0);
    let page = s.get("/shoes").await;
    assert_page(&page, "/shoes");
    let miles = format!("{:.2} mi", km / 1.609344);
    assert!(page.body.contains(&miles), "{miles} in {}", page.body);
    assert!(page.body.contains("400.00 mi"), "retire-at in miles");

    let bad = s
        .post_form(&format!("/activities/{id}/shoe"), &[("shoe", "Nope")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"id="e-shoe""#));

    let a = s.post_form(&format!("/shoes/{shoe}/default"), &[]).await;
    assert_eq!(a.header("location"), "/shoes?saved=shoe-default");
    assert!(s.app.shoes().await.unwrap()[0].default);
    let a = s.post_form(&format!("/shoes/{shoe}/retire"), &[]).await;
    assert_eq!(a.header("location"), "/shoes?saved=shoe-retired");
    assert!(s.app.shoes().await.unwrap()[0].retired);
    let page = s.get("/shoes?saved=shoe-retired").await;
    assert!(page.body.contains("Shoe retired.") && page.body.contains("Retired"));
    assert_eq!(s.post_form("/shoes/999/retire", &[]).await.status, 404);
    assert_eq!(
        s.post_json("/api/v1/shoes/999/default", &serde_json::json!({}))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_shoe_needs_a_name_and_numbers_that_are_numbers() {
    let s = spawn_app("km", false).await;
    for (fields, field) in [
        (vec![("name", "")], "name"),
        (vec![("name", "X"), ("drop_mm", "ten")], "drop_mm"),
        (vec![("name", "X"), ("retire_at", "-5")], "retire_at"),
        (vec![("name", "X"), ("started", "yesterday")], "started"),
    ] {
        let a = s.post_form("/shoes", &fields).await;
        assert_eq!(a.status, 422, "{fields:?}");
        assert!(
            a.body.contains(&format!(r#"id="e-{field}""#)),
            "{field}: {}",
            a.body
        );
    }
    assert!(s.app.shoes().await.unwrap().is_empty(), "nothing saved");
    let j = s
        .post_json("/api/v1/shoes", &serde_json::json!({"name": ""}))
        .await;
    assert_eq!(
        (j.status, j.json()["error"]["field"].clone()),
        (422, "name".into())
    );
    let j = s
        .post_json(
            "/api/v1/shoes",
            &serde_json::json!({"name": "Racer", "drop_mm": "4"}),
        )
        .await;
    assert_eq!(j.status, 200, "{}", j.body);
    assert_eq!(s.get("/api/v1/shoes").await.json()[0]["name"], "Racer");
    let drops = s.get("/api/v1/shoes/drops?weeks=3").await;
    assert_eq!(drops.json().as_array().unwrap().len(), 3);
    assert_eq!(s.get("/api/v1/shoes/drops?weeks=many").await.status, 422);
}

#[tokio::test]
async fn a_shoe_name_with_markup_is_escaped_in_the_page_and_the_chart() {
    let s = spawn_app("km", true).await;
    let evil = r#"<script>alert("x")</script><svg onload=alert(1)>"#;
    let a = s
        .post_form("/shoes", &[("name", evil), ("drop_mm", "0")])
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let shoe = s.app.shoes().await.unwrap()[0].id;
    let id = s.first_id().await;
    s.app.assign_shoe(id, &shoe.to_string()).await.unwrap();
    for path in ["/shoes".to_owned(), format!("/activities/{id}")] {
        let page = s.get(&path).await;
        assert_page(&page, &path);
        assert!(!page.body.contains("<script>alert"), "{path}");
        assert!(!page.body.contains("<svg onload"), "{path}");
        assert!(page.body.contains(&askama_escape(evil)), "{path}");
    }
    // In the mileage chart, the name is SVG text, escaped (and shortened to fit a bar).
    let page = s.get("/shoes").await;
    let svg = page
        .body
        .split(r#"<svg class="chart" viewBox"#)
        .nth(1)
        .expect("the mileage chart");
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(svg.contains("&lt;script&gt;alert"), "{svg}");
    assert!(!svg.contains("<script") && !svg.contains("<svg onload"));
}

/// A female runner's profile in pounds and feet and inches, through the widget.
async fn set_widget(s: &Spawned, goal: &str) -> Answer {
    s.post_form(
        "/energy",
        &[
            ("goal", goal),
            ("sex", "female"),
            ("birth_year", "1990"),
            ("weight", "150"),
            ("weight_unit", "lb"),
            ("height_unit", "ftin"),
            ("height_ft", "5"),
            ("height_in", "6"),
        ],
    )
    .await
}

#[tokio::test]
async fn the_energy_widget_in_pounds_and_feet_gives_the_hand_worked_targets() {
    let s = spawn_app("miles", false).await;
    s.app
        .set_profile(&soleus_app::profile::ProfileChange {
            weight_unit: Some("lb".into()),
            height_unit: Some("ftin".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let page = s.get("/energy").await;
    assert_page(&page, "/energy before a profile");
    assert!(
        page.body.contains("Gain 2 pounds per week")
            && page.body.contains("Lose 2 pounds per week")
    );
    assert_eq!(page.body.matches(r#"type="radio" name="goal""#).count(), 9);
    assert!(page.body.contains(r#"id="f-height_ft""#) && page.body.contains("Weight, lb"));
    assert!(
        page.body.contains("No targets yet"),
        "the profile is incomplete"
    );

    let a = set_widget(&s, "lose-1lb").await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location"), "/energy?saved=goal");
    let page = s.get("/energy?saved=goal").await;
    assert_page(&page, "/energy with targets");
    assert!(page.body.contains("Energy goal saved."));
    // By hand (knowledge/clinical.md §5.1, §5.4, §5.5): 150 lb = 68.039 kg, 5 ft 6 in =
    // 167.64 cm, age = this year − 1990. Mifflin–St Jeor for women:
    // 10·68.039 + 6.25·167.64 − 5·age − 161. With the default "low" daily life factor 1.3 a
    // rest day's maintenance is 1.3 × REE; lose 1 lb a week asks for −3500/7 = −500 kcal a day.
    // The floor is the higher of 1200 and 30 × fat-free mass, with the assumed 20 % body fat:
    // 30 × 68.039 × 0.8 = 1632.9 kcal, above 1.3 × REE − 500 at any adult age, so a rest day
    // is held at the floor.
    let age = f64::from(chrono::Utc::now().year() - 1990);
    let ree = 10.0 * 150.0 * 0.453_592_37 + 6.25 * 66.0 * 2.54 - 5.0 * age - 161.0;
    let floor = 30.0 * 150.0 * 0.453_592_37 * 0.8;
    assert!(1.3 * ree - 500.0 < floor);
    assert!(
        page.body.contains(&format!("{ree:.0} kcal")),
        "REE {ree:.0}"
    );
    assert!(
        page.body
            .contains(&format!("<dt>A rest day</dt><dd>{floor:.0} kcal</dd>")),
        "{}",
        page.body
    );
    assert!(page.body.contains("−500 kcal a day") || page.body.contains("-500 kcal a day"));
    assert!(page.body.contains("Targets: Lose 1 pound per week"));
    // The form shows the figures back in pounds and feet and inches.
    assert!(
        page.body.contains(
            r#"id="f-weight" name="weight" type="text" inputmode="decimal" value="150.0""#
        )
    );
    assert!(page.body.contains(r#"value="5""#) && page.body.contains(r#"value="6""#));
    assert!(page.body.contains(r#"value="lose-1lb" checked"#));
    assert!(
        page.body
            .contains(r#"aria-labelledby="projection-chart-title projection-chart-desc""#)
    );
    // The fastest loss: the smaller of 1 kg and 1 % of body weight a week: 1.5 lb.
    assert!(page.body.contains("1.5 lb a week"));

    let doc = s.get("/api/v1/energy/goal").await.json();
    assert!((doc["profile"]["ree_kcal"].as_f64().unwrap() - ree).abs() < 0.01);
    assert_eq!(doc["goal"], "lose-1lb");
    assert!((doc["rest_day"]["target_kcal"].as_f64().unwrap() - floor).abs() < 0.01);
}

#[tokio::test]
async fn a_goal_too_fast_is_refused_beside_the_goal_and_the_reds_warning_shows() {
    let s = spawn_app("km", false).await;
    s.app
        .set_profile(&soleus_app::profile::ProfileChange {
            weight_unit: Some("lb".into()),
            height_unit: Some("ftin".into()),
            missed_periods: Some("yes".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // 2 lb (0.91 kg) a week is more than 1 % of 150 lb (0.68 kg): refused.
    let a = set_widget(&s, "lose-2lb").await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(
        a.body.contains(r#"id="e-goal""#) && a.body.contains("refused"),
        "{}",
        a.body
    );
    let planned = s
        .app
        .energy_goal(&soleus_app::energy::GoalQuery {
            weeks: 26,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(planned.goal_source, "default", "no goal saved");
    let a = set_widget(&s, "lose-0.5lb").await;
    assert_eq!(a.status, 303, "{}", a.body);
    let page = s.get("/energy").await;
    assert!(
        page.body.contains("REDS"),
        "a deficit with missed periods warns: {}",
        page.body
    );
    assert!(page.body.contains("see a clinician"));
    for (field, value) in [
        ("height_in", "13"),
        ("height_ft", "five"),
        ("birth_year", "nineteen"),
    ] {
        let mut fields = vec![
            ("goal", "maintain"),
            ("height_unit", "ftin"),
            ("weight_unit", "lb"),
        ];
        fields.push((field, value));
        let a = s.post_form("/energy", &fields).await;
        assert_eq!(a.status, 422, "{field}");
        assert!(a.body.contains(&format!(r#"id="e-{field}""#)), "{field}");
    }
}

#[tokio::test]
async fn the_energy_page_answers_in_the_units_typed_and_keeps_them_after_saving() {
    // A profile in kg; the person asks for the page in pounds and types in pounds.
    let s = spawn_app("km", false).await;
    let page = s.get("/energy?weight_unit=lb&height_unit=ftin").await;
    assert!(page.body.contains("Weight, lb"));
    // 150 lb = 68.04 kg: the most is 1 % a week, 0.680 kg = 1.50 lb; 2 lb is refused, in lb.
    let a = set_widget(&s, "lose-2lb").await;
    assert_eq!(a.status, 422, "{}", a.body);
    for words in [
        "losing 2.00 lb a week",
        "a runner of 150.0 lb",
        "the most is 1.50 lb a week",
        "choose lose-1.5lb or slower",
    ] {
        assert!(a.body.contains(words), "{words}: {}", a.body);
    }
    assert!(!a.body.contains(" kg a week"), "{}", a.body);
    assert!(
        a.body.contains("Weight, lb"),
        "the refused page stays in lb"
    );
    // 1.5 lb is allowed, above the preferred 0.5 % (0.75 lb): the warning is in lb too.
    let a = set_widget(&s, "lose-1.5lb").await;
    assert_eq!(a.status, 303, "{}", a.body);
    let page = s.get("/energy?saved=goal").await;
    assert_page(&page, "/energy after saving in lb");
    assert!(page.body.contains("Weight, lb") && page.body.contains("Lose 2 pounds per week"));
    assert!(
        page.body.contains(
            r#"id="f-weight" name="weight" type="text" inputmode="decimal" value="150.0""#
        ),
        "the weight is shown back as typed"
    );
    assert!(
        page.body.contains("Losing 1.50 lb a week is allowed")
            && page.body.contains("about 0.75 lb a week"),
        "{}",
        page.body
    );
    let p = s.app.profile().await.unwrap().profile;
    assert_eq!(p.weight_unit, soleus_model::athlete::WeightUnit::Lb);
}

#[tokio::test]
async fn the_energy_form_uses_kg_and_cm_when_asked_and_says_kg_per_week() {
    let s = spawn_app("km", false).await;
    let page = s.get("/energy?weight_unit=kg&height_unit=cm").await;
    assert_page(&page, "kg");
    assert!(
        page.body.contains("Lose 1 kg per week") && page.body.contains("Gain 0.25 kg per week")
    );
    assert!(!page.body.contains("pounds per week"));
    assert!(
        page.body.contains(r#"id="f-height_cm""#) && !page.body.contains(r#"id="f-height_ft""#)
    );
    let a = s
        .post_form(
            "/energy",
            &[
                ("goal", "lose-0.25kg"),
                ("sex", "male"),
                ("birth_year", "1985"),
                ("weight", "70"),
                ("weight_unit", "kg"),
                ("height_unit", "cm"),
                ("height_cm", "180"),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let p = s.app.profile().await.unwrap().profile;
    assert!(
        (p.weight_kg.unwrap() - 70.0).abs() < 1e-9 && (p.height_cm.unwrap() - 180.0).abs() < 1e-9
    );
}

#[tokio::test]
async fn intake_and_weight_are_logged_listed_and_deleted_by_post_only() {
    let s = spawn_app("km", false).await;
    s.app
        .set_profile(&soleus_app::profile::ProfileChange {
            weight_unit: Some("lb".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let a = s
        .post_form("/energy/intake", &[("kcal", "650"), ("meal", "lunch")])
        .await;
    assert_eq!(a.header("location"), "/energy?saved=intake", "{}", a.body);
    let a = s.post_form("/energy/weight", &[("weight", "150")]).await;
    assert_eq!(a.header("location"), "/energy?saved=weight", "{}", a.body);
    let h = s.app.energy_history().await.unwrap();
    assert_eq!(h.intake.len(), 1);
    assert!(
        (h.weight[0].kg.unwrap() - 68.0389).abs() < 0.001,
        "a bare number is in pounds"
    );
    let page = s.get("/energy").await;
    assert!(page.body.contains("650 kcal") && page.body.contains("150.0 lb"));

    let bad = s.post_form("/energy/intake", &[("kcal", "lots")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"id="le-kcal""#));
    let future = s
        .post_form(
            "/energy/weight",
            &[("weight", "150"), ("date", "2999-01-01")],
        )
        .await;
    assert_eq!(future.status, 422);
    assert!(
        future.body.contains(r#"id="le-wdate""#),
        "beside the weight form's day"
    );

    let id = h.intake[0].id;
    // A GET never deletes.
    assert_eq!(
        s.get(&format!("/energy/intake/{id}/delete")).await.status,
        405
    );
    assert_eq!(s.app.energy_history().await.unwrap().intake.len(), 1);
    let a = s
        .post_form(&format!("/energy/intake/{id}/delete"), &[])
        .await;
    assert_eq!(a.header("location"), "/energy?saved=deleted", "{}", a.body);
    assert!(s.app.energy_history().await.unwrap().intake.is_empty());
    assert_eq!(
        s.post_form(&format!("/energy/intake/{id}/delete"), &[])
            .await
            .status,
        404
    );
    assert_eq!(s.post_form("/energy/lunch/1/delete", &[]).await.status, 404);
    let j = s
        .post_json("/api/v1/energy/intake", &serde_json::json!({"kcal": 300}))
        .await;
    assert_eq!(j.status, 200, "{}", j.body);
    assert_eq!(
        s.get("/api/v1/energy/history").await.json()["intake"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_dashboard_draws_fitness_ratios_and_pain_over_the_load() {
    let s = spawn_app("km", true).await;
    s.app
        .store_checkin(
            &soleus_model::assess::CheckIn::from_json(
                r#"{"date":"2013-06-19","side":"left","regions":["CALF_MID"],
                    "pain":{"during_run":3,"after_run":4,"next_morning":2}}"#,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let doc = s.get(&format!("/api/v1/dashboard?on={ON}")).await.json();
    let days = doc["days"].as_array().unwrap();
    assert_eq!(days.len(), 84, "twelve weeks of days");
    assert_eq!(days[83]["date"], ON);
    assert_eq!(doc["acwr_band"]["low"], 0.8);
    assert_eq!(doc["acwr_band"]["high"], 1.3);
    assert_eq!(doc["pain"].as_array().unwrap().len(), 1);

    let page = s.get(&format!("/?on={ON}")).await;
    assert_page(&page, "dashboard");
    assert!(
        page.body
            .contains(r#"aria-labelledby="pmc-chart-title pmc-chart-desc""#)
    );
    assert!(page.body.contains("Fitness (CTL)") && page.body.contains("km/day"));
    // Ten days of history: no ratio, and the page says why rather than drawing nothing.
    assert!(days.iter().all(|d| d["acwr_rac"].is_null()));
    assert!(
        page.body
            .contains("No ratio yet: the ratios need 28 days of history.")
    );
    assert!(
        page.body
            .contains(r#"aria-labelledby="pain-chart-title pain-chart-desc""#)
    );
    // The pain table: the check-in's day with that day's distance and its three numbers.
    let run = listed(&s)
        .await
        .into_iter()
        .find(|l| l.local_date == "2013-06-19")
        .unwrap();
    let km = format!("{:.2} km", run.distance_km.unwrap());
    assert!(
        page.body.contains(&format!(
            r#"<th scope="row">2013-06-19</th><td class="num">{km}</td><td class="num">3</td><td class="num">4</td><td class="num">2</td>"#
        )),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_retirement_distance_the_shoe_rules_refuse_is_explained_and_nothing_saved() {
    let s = spawn_app("km", true).await;
    let a = s
        .post_form("/shoes", &[("name", "Old faithful"), ("retire_at", "1")])
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(
        a.body
            .contains(r#"<p class="error" role="alert">retire_km must be between"#),
        "{}",
        a.body
    );
    assert!(
        a.body.contains(r#"value="Old faithful""#),
        "the form keeps what was typed"
    );
    assert!(s.app.shoes().await.unwrap().is_empty());
    // No shoe is near its distance, so no row is marked due.
    s.post_form("/shoes", &[("name", "New pair")]).await;
    let id = s.first_id().await;
    s.app.assign_shoe(id, "New pair").await.unwrap();
    let listed = s.app.shoes().await.unwrap();
    assert!(listed[0].reminder.is_none() && listed[0].km > 0.0);
    let page = s.get("/shoes").await;
    assert!(!page.body.contains(r#"class="due""#) && !page.body.contains("Reminder:"));
}

#[tokio::test]
async fn with_a_usual_shoe_and_a_lower_drop_one_run_in_the_page_shows_the_transition() {
    let s = spawn_app("km", true).await;
    let page = s.get("/shoes").await;
    assert!(
        page.body
            .contains("No transition plan: no usual shoe in your profile")
    );
    s.post_form("/shoes", &[("name", "Usual"), ("drop_mm", "10")])
        .await;
    s.post_form(
        "/shoes",
        &[
            ("name", "Flat"),
            ("drop_mm", "0"),
            ("started", "2013-06-01"),
        ],
    )
    .await;
    s.app
        .set_profile(&soleus_app::profile::ProfileChange {
            usual_shoe: Some("Usual".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let id = s.first_id().await;
    s.app.assign_shoe(id, "Flat").await.unwrap();
    let plan = match s.app.shoe_transition(None).await.unwrap() {
        soleus_app::shoes::TransitionView::Plan { plan, .. } => plan,
        other => panic!("a plan: {other:?}"),
    };
    let page = s.get("/shoes").await;
    assert_page(&page, "/shoes with a plan");
    assert!(page.body.contains(&askama_escape(&plan.advice)));
    assert!(
        page.body.contains("in lower-drop shoes from"),
        "this week against the plan"
    );
    let doc = s.get("/api/v1/shoes/transition").await.json();
    assert_eq!(doc["plan"]["input"]["usual_drop_mm"], 10.0);
    assert_eq!(
        s.get("/api/v1/shoes")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn the_energy_api_plans_on_get_without_saving_and_saves_on_post() {
    let s = spawn_app("km", false).await;
    let j = s.get("/api/v1/energy/goal").await;
    assert_eq!(
        (j.status, j.json()["error"]["field"].clone()),
        (422, "profile".into())
    );
    let j = s
        .post_json(
            "/api/v1/energy/goal",
            &serde_json::json!({"goal": "lose-0.5lb", "sex": "male", "birth_year": "1980",
                                "weight": "150lb", "height": "5ft10in"}),
        )
        .await;
    assert_eq!(j.status, 200, "{}", j.body);
    let doc = j.json();
    assert_eq!(
        (doc["goal"].clone(), doc["saved"].clone()),
        ("lose-0.5lb".into(), true.into())
    );
    // 5 ft 10 in = 70 in = 177.8 cm.
    assert!((doc["profile"]["height_cm"].as_f64().unwrap() - 177.8).abs() < 1e-9);
    // A GET with another goal plans it and leaves the saved one alone.
    let dry = s.get("/api/v1/energy/goal?goal=gain-1lb").await.json();
    assert_eq!(
        (dry["goal"].clone(), dry["saved"].clone()),
        ("gain-1lb".into(), false.into())
    );
    assert_eq!(
        s.get("/api/v1/energy/goal").await.json()["goal"],
        "lose-0.5lb"
    );
    assert_eq!(
        s.get("/api/v1/energy/week").await.json()["goal_saved"],
        true
    );
    let w = s
        .post_json(
            "/api/v1/energy/weight",
            &serde_json::json!({"weight": "149lb"}),
        )
        .await;
    assert_eq!(w.status, 200, "{}", w.body);
    let id = w.json()["id"].to_string();
    let del = s
        .send(
            axum::http::Request::delete(format!("{}/api/v1/energy/weight/{id}", s.base))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(del.status, 200, "{}", del.body);
    assert!(s.app.energy_history().await.unwrap().weight.is_empty());
    let again = s
        .send(
            axum::http::Request::delete(format!("{}/api/v1/energy/weight/{id}", s.base))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, 404);
}
