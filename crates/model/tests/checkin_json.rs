//! A check-in document that gives a field twice is refused: JSON (RFC 8259 §4) leaves the
//! meaning of duplicate names open, and keeping the last silently could drop a red flag.

use soleus_model::assess::CheckIn;

#[test]
fn a_key_given_twice_is_refused_with_its_name_and_line() {
    let text = "{\n  \"date\": \"2026-11-20\", \"side\": \"left\", \"regions\": [\"CALF_UPPER_MEDIAL\"],\n  \"fever\": true,\n  \"fever\": false\n}";
    let err = CheckIn::from_json(text).expect_err("duplicate key");
    let msg = err.to_string();
    assert!(msg.contains("\"fever\" is given twice"), "{msg}");
    assert!(msg.contains("line 4"), "{msg}");
    // Nested objects too.
    let text = r#"{"date": "2026-11-20", "side": "left", "regions": ["CALF_UPPER_MEDIAL"],
        "pain": {"now": 1, "now": 2}}"#;
    let msg = CheckIn::from_json(text)
        .expect_err("nested duplicate")
        .to_string();
    assert!(msg.contains("\"now\" is given twice"), "{msg}");
    // The same document without the repeat is accepted.
    CheckIn::from_json(
        r#"{"date": "2026-11-20", "side": "left", "regions": ["CALF_UPPER_MEDIAL"], "fever": true}"#,
    )
    .unwrap();
}
