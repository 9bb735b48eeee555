//! The authorization matrix (WEB.md, "Security tests worth having", items 1 and 2): every route
//! the web crate registers, as every kind of person asks for it, with the answer each must get.
//!
//! One world is built through the real server: a club with an administrator; Ana, the owner,
//! with runs, a check-in, an assessment and the plan it started, a questionnaire result, a
//! shoe, energy logs, comments, a notification and an import job; coaches holding her grant at
//! each level without the medical scope, a coach whose grant she revoked, a clinician with the
//! medical scope; Ben, another athlete with data of his own; a coach of another organisation;
//! and nobody signed in. Then every row of [`matrix`] is asked by every actor.
//!
//! The expected answers come from the product's rules (DESIGN.md, WEB.md): a page of one's
//! own data shows the caller's own data (another athlete gets theirs, never Ana's); a person
//! with no runs of their own is sent to their roster; a shared athlete and their threads are
//! seen only with a grant in force, check-ins and their threads only with the medical scope;
//! what a person may not see answers 404 exactly as what does not exist (never 403, which
//! would tell it exists); 403 only where the thing is visible but the act is not allowed
//! (commenting with a grant to view). Planted marker strings check the bodies of every 200.
//!
//! The routes are read from the source at test time: a route without a row, or a row for a
//! route that is gone, fails the test. The same table runs on PostgreSQL when
//! `SOLEUS_TEST_PG_URL` is set.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use common::*;
use soleus_app::accounts::{Role, SignUp};

/// A comment of Ana's on her run: anyone with a grant in force may read it.
const RUN_MARK: &str = "MARK-RUN-4410";
/// The clinician's comment on Ana's check-in: the medical scope only.
const MED_MARK: &str = "MARK-MEDICAL-9921";
/// The name of Ana's shoe: Ana's own pages only.
const SHOE_MARK: &str = "MARK-SHOE-2207";
/// Ben's comment on his own run and his shoe's name: Ben only.
const BEN_MARK: &str = "MARK-BEN-5163";

/// The password every account of the world has.
const PASSWORD: &str = "larch meadow 42";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Actor {
    /// Ana, whose data it is.
    Owner,
    /// A coach with Ana's grant to view.
    View,
    /// A coach with Ana's grant to comment.
    Comment,
    /// A coach with Ana's grant to edit.
    Edit,
    /// A coach whose grant Ana revoked.
    Revoked,
    /// A clinician with Ana's grant to comment, with the medical scope.
    Clinician,
    /// Ben, another athlete of the club, with his own data.
    Other,
    /// A coach of another organisation, with no grant.
    Staff,
    /// The club's administrator, with no grant.
    Admin,
    /// Nobody signed in.
    Anon,
}

use Actor::*;

/// The columns of the matrix, in order.
const ACTORS: [Actor; 10] = [
    Owner, View, Comment, Edit, Revoked, Clinician, Other, Staff, Admin, Anon,
];

impl Actor {
    /// Holds a grant in force on Ana.
    fn granted(self) -> bool {
        matches!(self, Owner | View | Comment | Edit | Clinician)
    }

    /// May read Ana's check-ins and what is said on them.
    fn medical(self) -> bool {
        matches!(self, Owner | Clinician)
    }
}

/// A request's body.
#[derive(Debug, Clone, Copy)]
enum Body {
    None,
    /// A form, `k=v&…` already encoded, posted as a browser on the site does.
    Form(&'static str),
    /// A JSON document.
    Json(&'static str),
}

/// One row: the route as the router names it, the URL asked for (placeholders in braces are
/// the world's ids, see [`World::fill`]), the body, the marker a 200 for Ana must carry, and
/// the answer of each actor in [`ACTORS`]' order:
///
/// - `ok+` 200 whose body carries the row's marker, `ok` 200 whose body does not (every
///   answer is also searched for the markers the actor must never see);
/// - `202`, `401`, `403`, `404`, `409`, `422`: that status;
/// - `L` a redirect to the sign-in page, `R` to the roster, `303` to anywhere else;
/// - `SEE` a redirect (`301`/`303`) that the row's own words explain.
struct Row {
    route: (&'static str, &'static str),
    url: &'static str,
    body: Body,
    mark: Option<&'static str>,
    codes: [&'static str; 10],
}

const fn row(
    method: &'static str,
    route: &'static str,
    url: &'static str,
    body: Body,
    mark: Option<&'static str>,
    codes: [&'static str; 10],
) -> Row {
    Row {
        route: (method, route),
        url,
        body,
        mark,
        codes,
    }
}

// The answers most rows share.
/// A page of the caller's own data.
const OWN_PAGE: [&str; 10] = ["ok", "R", "R", "R", "R", "R", "ok", "R", "R", "L"];
/// A document of the caller's own data.
const OWN_DOC: [&str; 10] = [
    "ok", "404", "404", "404", "404", "404", "ok", "404", "404", "401",
];
/// A form of the caller's own data posted with a mistake in it.
const OWN_FORM_BAD: [&str; 10] = ["422", "R", "R", "R", "R", "R", "422", "R", "R", "L"];
/// A document of the caller's own data posted with a mistake in it.
const OWN_DOC_BAD: [&str; 10] = [
    "422", "404", "404", "404", "404", "404", "422", "404", "404", "401",
];
/// A form on one of Ana's own things (by id): Ben's own data has no such id.
const ANAS_FORM: [&str; 10] = ["303", "R", "R", "R", "R", "R", "404", "R", "R", "L"];
/// A document on one of Ana's own things (by id).
const ANAS_DOC: [&str; 10] = [
    "ok", "404", "404", "404", "404", "404", "404", "404", "404", "401",
];
/// A page of one of Ana's own things (by id).
const ANAS_PAGE: [&str; 10] = ["ok", "R", "R", "R", "R", "R", "404", "R", "R", "L"];
/// A page for a signed-in person, whoever they are.
const SIGNED_PAGE: [&str; 10] = ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "L"];
/// A document for a signed-in person, whoever they are.
const SIGNED_DOC: [&str; 10] = ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "401"];
/// The club's own, for its admin.
const ADMIN_PAGE: [&str; 10] = [
    "404", "404", "404", "404", "404", "404", "404", "404", "ok", "L",
];
const ADMIN_DOC: [&str; 10] = [
    "404", "404", "404", "404", "404", "404", "404", "404", "ok", "401",
];
/// An admin's form on the club's own things, by id.
const ADMIN_FORM: [&str; 10] = [
    "404", "404", "404", "404", "404", "404", "404", "404", "303", "L",
];
/// Open to everyone.
const PUBLIC: [&str; 10] = ["ok"; 10];
/// Ana's thread on her run, seen with any grant in force.
const THREAD_PAGE: [&str; 10] = [
    "ok+", "ok+", "ok+", "ok+", "404", "ok+", "404", "404", "404", "L",
];
const THREAD_DOC: [&str; 10] = [
    "ok+", "ok+", "ok+", "ok+", "404", "ok+", "404", "404", "404", "401",
];
/// Ana's check-in's thread: the medical scope only.
const MED_PAGE: [&str; 10] = [
    "ok+", "404", "404", "404", "404", "ok+", "404", "404", "404", "L",
];
const MED_DOC: [&str; 10] = [
    "ok+", "404", "404", "404", "404", "ok+", "404", "404", "404", "401",
];

/// Every route × every actor. Rows are asked in order: the ones that change or end something
/// come last.
#[rustfmt::skip]
fn matrix() -> Vec<Row> {
    use Body::{Form, Json, None as No};
    let run = Some(RUN_MARK);
    let med = Some(MED_MARK);
    let shoe = Some(SHOE_MARK);
    vec![
        // Operations and static files: for everyone.
        row("GET", "/healthz", "/healthz", No, None, PUBLIC),
        row("GET", "/readyz", "/readyz", No, None, PUBLIC),
        // /metrics answers this machine (the test's loopback client).
        row("GET", "/metrics", "/metrics", No, None, PUBLIC),
        row("GET", "/assets/{file}", "/assets/{asset}", No, None, PUBLIC),
        row("GET", "/api/openapi.json", "/api/openapi.json", No, None, PUBLIC),
        // Signing in and up: open to everyone (a signed-in person may sign in as another).
        row("GET", "/login", "/login", No, None, PUBLIC),
        row("GET", "/signup", "/signup", No, None, PUBLIC),
        row("GET", "/password/forgot", "/password/forgot", No, None, PUBLIC),
        // No SMTP server in this world: the page says so, 503, whoever asks.
        row("POST", "/password/forgot", "/password/forgot", Form("email=x%40example.org"), None, ["503"; 10]),
        // An unknown reset token: not found, whoever asks.
        row("GET", "/password/reset/{token}", "/password/reset/{nonsense}", No, None, ["404"; 10]),
        row("POST", "/password/reset/{token}", "/password/reset/{nonsense}", Form("new_password=larch+meadow+43"), None, ["422"; 10]),
        row("GET", "/unsubscribe/{token}", "/unsubscribe/{nonsense}", No, None, ["404"; 10]),
        row("POST", "/unsubscribe/{token}", "/unsubscribe/{nonsense}", Form(""), None, ["404"; 10]),
        // The caller's own pages: Ana's for Ana, Ben's for Ben (never Ana's markers).
        row("GET", "/", "/", No, None, OWN_PAGE),
        row("GET", "/activities", "/activities", No, None, OWN_PAGE),
        row("GET", "/activities/{id}", "/activities/{run}", No, run, ["ok+", "R", "R", "R", "R", "R", "404", "R", "R", "L"]),
        row("GET", "/today", "/today", No, None, OWN_PAGE),
        row("GET", "/checkin", "/checkin", No, None, OWN_PAGE),
        row("GET", "/checkin/{id}", "/checkin/{checkin}", No, med, ["ok+", "R", "R", "R", "R", "R", "404", "R", "R", "L"]),
        // The latest check-in's assessment is on its page; without one, the check-in form.
        row("GET", "/assessment", "/assessment", No, None, ["303", "R", "R", "R", "R", "R", "303", "R", "R", "L"]),
        row("GET", "/plan", "/plan", No, None, OWN_PAGE),
        row("GET", "/scores", "/scores", No, None, OWN_PAGE),
        row("GET", "/scores/{code}", "/scores/LEFS", No, None, OWN_PAGE),
        row("GET", "/shoes", "/shoes", No, shoe, ["ok+", "R", "R", "R", "R", "R", "ok", "R", "R", "L"]),
        row("GET", "/energy", "/energy", No, None, OWN_PAGE),
        row("GET", "/settings", "/settings", No, None, OWN_PAGE),
        // The old address of the settings: a permanent redirect for everyone.
        row("GET", "/profile", "/profile", No, None, ["SEE"; 10]),
        row("GET", "/sharing", "/sharing", No, None, OWN_PAGE),
        row("GET", "/import", "/import", No, None, OWN_PAGE),
        row("GET", "/import/jobs/{id}", "/import/jobs/{job}", No, None, ANAS_PAGE),
        // Pages of a signed-in person.
        row("GET", "/account", "/account", No, None, SIGNED_PAGE),
        row("GET", "/notifications", "/notifications", No, None, SIGNED_PAGE),
        row("GET", "/roster", "/roster", No, None, SIGNED_PAGE),
        // Ana as the holders of her grants see her; nobody else, not even she (no grant).
        row("GET", "/athletes/{id}", "/athletes/{me}", No, None,
            ["404", "ok", "ok", "ok", "404", "ok", "404", "404", "404", "L"]),
        row("GET", "/athletes/{id}/threads/{kind}/{target}", "/athletes/{me}/threads/activity/{run}", No, run, THREAD_PAGE),
        // Another's comment: seen with the thread, but only its author may change it.
        row("GET", "/athletes/{id}/comments/{comment}/edit", "/athletes/{me}/comments/{comment}/edit", No, run,
            ["ok+", "403", "403", "403", "404", "403", "404", "404", "404", "L"]),
        // The invitation's page: whoever holds its link (the token is the secret).
        row("GET", "/invitations/{token}", "/invitations/{token}", No, None, PUBLIC),
        // The club's page and its members' profiles: the club's admin (and its members) only.
        row("GET", "/org", "/org", No, None, ADMIN_PAGE),
        row("GET", "/people/{id}", "/people/{member}", No, None, ADMIN_PAGE),
        // An organisation's invitation: whoever holds its link.
        row("GET", "/join/{token}", "/join/{join_token}", No, None, PUBLIC),
        // Documents of the caller's own data.
        row("GET", "/api/v1/dashboard", "/api/v1/dashboard", No, None, OWN_DOC),
        row("GET", "/api/v1/risk", "/api/v1/risk", No, None, OWN_DOC),
        row("GET", "/api/v1/today", "/api/v1/today", No, None, OWN_DOC),
        row("GET", "/api/v1/activities", "/api/v1/activities", No, None, OWN_DOC),
        row("GET", "/api/v1/activities/{id}", "/api/v1/activities/{run}", No, None, ANAS_DOC),
        row("GET", "/api/v1/checkins", "/api/v1/checkins", No, None, OWN_DOC),
        // Ben has no check-in to assess yet.
        row("GET", "/api/v1/assessment", "/api/v1/assessment", No, None, ["ok", "404", "404", "404", "404", "404", "409", "404", "404", "401"]),
        row("GET", "/api/v1/plan", "/api/v1/plan", No, None, OWN_DOC),
        row("GET", "/api/v1/plan/history", "/api/v1/plan/history", No, None, OWN_DOC),
        row("GET", "/api/v1/instruments", "/api/v1/instruments", No, None, OWN_DOC),
        row("GET", "/api/v1/scores", "/api/v1/scores", No, None, OWN_DOC),
        row("GET", "/api/v1/shoes", "/api/v1/shoes", No, shoe, ["ok+", "404", "404", "404", "404", "404", "ok", "404", "404", "401"]),
        row("GET", "/api/v1/shoes/transition", "/api/v1/shoes/transition", No, None, OWN_DOC),
        row("GET", "/api/v1/shoes/drops", "/api/v1/shoes/drops", No, None, OWN_DOC),
        row("GET", "/api/v1/energy/goal", "/api/v1/energy/goal", No, None, OWN_DOC_BAD),
        // Nobody gave the body figures the energy balance needs.
        row("GET", "/api/v1/energy/week", "/api/v1/energy/week", No, None, OWN_DOC_BAD),
        row("GET", "/api/v1/energy/history", "/api/v1/energy/history", No, None, OWN_DOC),
        row("GET", "/api/v1/profile", "/api/v1/profile", No, None, OWN_DOC),
        row("GET", "/api/v1/import/jobs/{id}", "/api/v1/import/jobs/{job}", No, None, ANAS_DOC),
        row("GET", "/api/v1/sharing", "/api/v1/sharing", No, None, OWN_DOC),
        row("GET", "/api/v1/account", "/api/v1/account", No, None, SIGNED_DOC),
        row("GET", "/api/v1/notifications", "/api/v1/notifications", No, None, SIGNED_DOC),
        row("GET", "/api/v1/notifications/settings", "/api/v1/notifications/settings", No, None, SIGNED_DOC),
        row("GET", "/api/v1/roster", "/api/v1/roster", No, None, SIGNED_DOC),
        // Only a clinician with the medical scope clears or assesses; a coach with a grant is
        // refused, anyone without one finds nothing.
        row("POST", "/athletes/{id}/clearance", "/athletes/{me}/clearance", Form("on=not-a-day"), None,
            ["404", "403", "403", "403", "404", "422", "404", "404", "404", "L"]),
        row("POST", "/api/v1/athletes/{id}/clearance", "/api/v1/athletes/{me}/clearance", Json(r#"{"on":"not-a-day"}"#), None,
            ["404", "403", "403", "403", "404", "422", "404", "404", "404", "401"]),
        row("POST", "/athletes/{id}/assessment", "/athletes/{me}/assessment", Form(""), None,
            ["404", "403", "403", "403", "404", "303", "404", "404", "404", "L"]),
        row("POST", "/api/v1/athletes/{id}/assessment", "/api/v1/athletes/{me}/assessment", Json("{}"), None,
            ["404", "403", "403", "403", "404", "ok", "404", "404", "404", "401"]),
        row("GET", "/api/v1/athletes/{id}", "/api/v1/athletes/{me}", No, None,
            ["404", "ok", "ok", "ok", "404", "ok", "404", "404", "404", "401"]),
        row("GET", "/api/v1/athletes/{id}/threads/{kind}/{target}", "/api/v1/athletes/{me}/threads/activity/{run}", No, run, THREAD_DOC),
        row("GET", "/api/v1/invitations/{token}", "/api/v1/invitations/{token}", No, None, PUBLIC),
        row("GET", "/api/v1/org", "/api/v1/org", No, None, ADMIN_DOC),
        row("GET", "/api/v1/people/{id}", "/api/v1/people/{member}", No, None, ADMIN_DOC),
        // Forms of the caller's own data, each with a mistake: Ana and Ben are told of it,
        // nothing is stored.
        row("POST", "/checkin", "/checkin", Form("side=sideways"), None, OWN_FORM_BAD),
        // A quick pain log continues a check-in: Ben has none.
        row("POST", "/checkin/pain", "/checkin/pain", Form("during=11"), None, ["422", "R", "R", "R", "R", "R", "409", "R", "R", "L"]),
        // A check-in that is nobody's.
        row("POST", "/assessment", "/assessment", Form("checkin_id=999999"), None, ["404", "R", "R", "R", "R", "R", "404", "R", "R", "L"]),
        row("POST", "/plan/start", "/plan/start", Form("grade=99"), None, OWN_FORM_BAD),
        row("POST", "/plan/clearance", "/plan/clearance", Form("name="), None, OWN_FORM_BAD),
        row("POST", "/plan/checklist", "/plan/checklist", Form("calf_raises=lots"), None, OWN_FORM_BAD),
        row("POST", "/scores/{code}", "/scores/LEFS", Form("date=someday"), None, OWN_FORM_BAD),
        row("POST", "/shoes", "/shoes", Form("name="), None, OWN_FORM_BAD),
        row("POST", "/energy", "/energy", Form("goal=fly"), None, OWN_FORM_BAD),
        row("POST", "/energy/intake", "/energy/intake", Form("kcal=lots"), None, OWN_FORM_BAD),
        row("POST", "/energy/weight", "/energy/weight", Form("weight=heavy"), None, OWN_FORM_BAD),
        row("POST", "/settings", "/settings", Form("birth_year=12"), None, OWN_FORM_BAD),
        row("POST", "/settings/mail", "/settings/mail", Form(""), None, ["303", "R", "R", "R", "R", "R", "303", "R", "R", "L"]),
        row("POST", "/sharing/invite", "/sharing/invite", Form("email=nobody&role=coach"), None, OWN_FORM_BAD),
        row("POST", "/import", "/import", Form(""), None, OWN_FORM_BAD),
        row("POST", "/activities/{id}/rpe", "/activities/{run}/rpe", Form("rpe=11"), None,
            ["422", "R", "R", "R", "R", "R", "404", "R", "R", "L"]),
        row("POST", "/activities/{id}/shoe", "/activities/{run}/shoe", Form("shoe=Nope"), None,
            ["422", "R", "R", "R", "R", "R", "404", "R", "R", "L"]),
        row("POST", "/shoes/{id}/default", "/shoes/{shoe}/default", Form(""), None, ANAS_FORM),
        // Documents of the caller's own data, each with a mistake.
        row("POST", "/api/v1/checkins", "/api/v1/checkins", Json(r#"{"side":"sideways"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/pain", "/api/v1/pain", Json(r#"{"during":11}"#), None, ["422", "404", "404", "404", "404", "404", "409", "404", "404", "401"]),
        row("POST", "/api/v1/assessment", "/api/v1/assessment", Json(r#"{"checkin_id":999999}"#), None, ["404", "404", "404", "404", "404", "404", "404", "404", "404", "401"]),
        row("POST", "/api/v1/plan", "/api/v1/plan", Json(r#"{"condition":"KNEE"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/plan/clearance", "/api/v1/plan/clearance", Json(r#"{"on":"someday"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/plan/checklist", "/api/v1/plan/checklist", Json(r#"{"calf_raises":"lots"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/scores", "/api/v1/scores", Json(r#"{"instrument":"LEFS"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/shoes", "/api/v1/shoes", Json(r#"{"on":"someday"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/energy/goal", "/api/v1/energy/goal", Json(r#"{"goal":"fly"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/energy/intake", "/api/v1/energy/intake", Json(r#"{"kcal":"lots"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/energy/weight", "/api/v1/energy/weight", Json(r#"{"weight":"heavy"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/profile", "/api/v1/profile", Json(r#"{"birth_year":"12"}"#), None, OWN_DOC_BAD),
        row("POST", "/api/v1/import", "/api/v1/import", Json("{}"), None, OWN_DOC_BAD),
        row("POST", "/api/v1/sharing/invitations", "/api/v1/sharing/invitations", Json(r#"{"email":"nobody","role":"coach"}"#), None, OWN_DOC_BAD),
        // The document is read before the activity is looked up: Ben is told of his mistake
        // whichever id he names (the swaps below send him a good one).
        row("POST", "/api/v1/activities/{id}/rpe", "/api/v1/activities/{run}/rpe", Json(r#"{"rpe":11}"#), None,
            ["422", "404", "404", "404", "404", "404", "422", "404", "404", "401"]),
        row("POST", "/api/v1/activities/{id}/shoe", "/api/v1/activities/{run}/shoe", Json(r#"{"shoe":"Nope"}"#), None,
            ["422", "404", "404", "404", "404", "404", "422", "404", "404", "401"]),
        row("POST", "/api/v1/shoes/{id}/default", "/api/v1/shoes/{shoe}/default", Json("{}"), None, ANAS_DOC),
        // A signed-in person's own settings and account, with a mistake.
        row("POST", "/account/password", "/account/password", Form("current_password=wrong&new_password=larch+meadow+43"), None,
            ["422", "422", "422", "422", "422", "422", "422", "422", "422", "L"]),
        row("POST", "/api/v1/account/password", "/api/v1/account/password", Json(r#"{"current_password":"wrong","new_password":"larch meadow 43"}"#), None,
            ["422", "422", "422", "422", "422", "422", "422", "422", "422", "401"]),
        row("POST", "/account/mail", "/account/mail", Form(""), None, ["303", "303", "303", "303", "303", "303", "303", "303", "303", "L"]),
        row("POST", "/account/units", "/account/units", Form("units=parsecs"), None,
            ["422", "422", "422", "422", "422", "422", "422", "422", "422", "L"]),
        row("POST", "/account/notifications", "/account/notifications", Form(""), None, ["303", "303", "303", "303", "303", "303", "303", "303", "303", "L"]),
        row("POST", "/api/v1/notifications/settings", "/api/v1/notifications/settings", Json(r#"{"kind":"comment","delivery":"loud"}"#), None,
            ["422", "422", "422", "422", "422", "422", "422", "422", "422", "401"]),
        // The club's forms with a mistake: its admin is told; nobody else learns it exists.
        row("POST", "/org/invite", "/org/invite", Form("email=nobody&role=coach"), None,
            ["404", "404", "404", "404", "404", "404", "404", "404", "422", "L"]),
        row("POST", "/api/v1/org/invitations", "/api/v1/org/invitations", Json(r#"{"email":"nobody","role":"coach"}"#), None,
            ["404", "404", "404", "404", "404", "404", "404", "404", "422", "401"]),
        // A profile is a coach's or a clinician's: an athlete or an admin has none to write.
        row("POST", "/account/profile", "/account/profile", Form("credentials="), None,
            ["403", "422", "422", "422", "422", "422", "403", "422", "403", "L"]),
        row("POST", "/api/v1/account/profile", "/api/v1/account/profile", Json(r#"{"credentials":""}"#), None,
            ["403", "422", "422", "422", "422", "422", "403", "422", "403", "401"]),
        // Joining with a mistake: told, whoever asks (the link is the key, not a session);
        // accepting while signed in with another address: refused.
        row("POST", "/join/{token}", "/join/{join_token}", Form("display_name=Jo&password=short"), None, ["422"; 10]),
        row("POST", "/join/{token}/accept", "/join/{join_token}/accept", Form(""), None,
            ["403", "403", "403", "403", "403", "403", "403", "403", "403", "L"]),
        // Signing up with a mistake: told, whoever asks.
        row("POST", "/signup", "/signup", Form("display_name=X&email=new%40example.org&password=short"), None, ["422"; 10]),
        row("POST", "/api/v1/signup", "/api/v1/signup", Json(r#"{"display_name":"X","email":"new@example.org","password":"short"}"#), None, ["422"; 10]),
        // Signing in as the spare account works for whoever asks (a new session each time).
        row("POST", "/login", "/login", Form("email=spare%40example.org&password=larch+meadow+42"), None, ["303"; 10]),
        row("POST", "/api/v1/login", "/api/v1/login", Json(r#"{"email":"spare@example.org","password":"larch meadow 42"}"#), None, PUBLIC),
        // Threads: commenting needs the level comment; a thread one cannot see is not found.
        row("POST", "/athletes/{id}/threads/{kind}/{target}", "/athletes/{me}/threads/activity/{run}", Form("body=+"), None,
            ["422", "403", "422", "422", "404", "422", "404", "404", "404", "L"]),
        row("POST", "/api/v1/athletes/{id}/threads/{kind}/{target}", "/api/v1/athletes/{me}/threads/activity/{run}", Json(r#"{"body":" "}"#), None,
            ["422", "403", "422", "422", "404", "422", "404", "404", "404", "401"]),
        // Another's comment: not theirs to edit, and seen only by who sees the thread.
        row("POST", "/athletes/{id}/comments/{comment}/edit", "/athletes/{me}/comments/{comment}/edit", Form("body=+"), None,
            ["422", "403", "403", "403", "404", "403", "404", "404", "404", "L"]),
        row("POST", "/api/v1/athletes/{id}/comments/{comment}", "/api/v1/athletes/{me}/comments/{comment}", Json(r#"{"body":" "}"#), None,
            ["422", "403", "403", "403", "404", "403", "404", "404", "404", "401"]),
        // Accepting Ana's open invitation: only its addressee may (the link's holder sees it).
        row("POST", "/invitations/{token}/accept", "/invitations/{token}/accept", Form(""), None,
            ["403", "403", "403", "403", "403", "403", "403", "403", "403", "L"]),
        row("POST", "/api/v1/invitations/{token}/accept", "/api/v1/invitations/{token}/accept", No, None,
            ["403", "403", "403", "403", "403", "403", "403", "403", "403", "401"]),
        // From here on, rows change what they act on: Ana's cell runs last in each.
        row("POST", "/notifications/{id}/read", "/notifications/{note}/read", Form(""), None,
            ["303", "404", "404", "404", "404", "404", "404", "404", "404", "L"]),
        row("POST", "/api/v1/notifications/{id}/read", "/api/v1/notifications/{note2}/read", No, None,
            ["ok", "404", "404", "404", "404", "404", "404", "404", "404", "401"]),
        row("POST", "/notifications/read-all", "/notifications/read-all", Form(""), None, ["303", "303", "303", "303", "303", "303", "303", "303", "303", "L"]),
        row("POST", "/api/v1/notifications/read", "/api/v1/notifications/read", No, None, SIGNED_DOC),
        row("POST", "/shoes/{id}/retire", "/shoes/{shoe}/retire", Form(""), None, ANAS_FORM),
        row("POST", "/api/v1/shoes/{id}/retire", "/api/v1/shoes/{shoe}/retire", No, None, ANAS_DOC),
        row("POST", "/scores/{id}/delete", "/scores/{score}/delete", Form(""), None, ANAS_FORM),
        row("DELETE", "/api/v1/scores/{id}", "/api/v1/scores/{score2}", No, None, ANAS_DOC),
        row("POST", "/energy/{log}/{id}/delete", "/energy/intake/{intake}/delete", Form(""), None, ANAS_FORM),
        row("DELETE", "/api/v1/energy/{log}/{id}", "/api/v1/energy/weight/{weight}", No, None, ANAS_DOC),
        row("POST", "/athletes/{id}/comments/{comment}/delete", "/athletes/{me}/comments/{comment}/delete", Form(""), None,
            ["303", "403", "403", "403", "404", "403", "404", "404", "404", "L"]),
        row("DELETE", "/api/v1/athletes/{id}/comments/{comment}", "/api/v1/athletes/{me}/comments/{comment2}", No, None,
            ["ok", "403", "403", "403", "404", "403", "404", "404", "404", "401"]),
        row("POST", "/sharing/invitations/{id}/withdraw", "/sharing/invitations/{inv}/withdraw", Form(""), None, ANAS_FORM),
        row("DELETE", "/api/v1/sharing/invitations/{id}", "/api/v1/sharing/invitations/{inv2}", No, None, ANAS_DOC),
        row("POST", "/sharing/grants/{id}/revoke", "/sharing/grants/{grant}/revoke", Form(""), None, ANAS_FORM),
        row("DELETE", "/api/v1/sharing/grants/{id}", "/api/v1/sharing/grants/{grant2}", No, None, ANAS_DOC),
        // The club's admin withdraws, disables and enables, and confirms credentials.
        row("POST", "/org/invitations/{id}/withdraw", "/org/invitations/{org_inv}/withdraw", Form(""), None, ADMIN_FORM),
        row("POST", "/api/v1/org/invitations/{id}/withdraw", "/api/v1/org/invitations/{org_inv2}/withdraw", No, None, ADMIN_DOC),
        row("POST", "/org/members/{id}/disable", "/org/members/{member}/disable", Form(""), None, ADMIN_FORM),
        row("POST", "/org/members/{id}/enable", "/org/members/{member}/enable", Form(""), None, ADMIN_FORM),
        row("POST", "/api/v1/org/members/{id}/disable", "/api/v1/org/members/{member}/disable", No, None, ADMIN_DOC),
        row("POST", "/api/v1/org/members/{id}/enable", "/api/v1/org/members/{member}/enable", No, None, ADMIN_DOC),
        row("POST", "/org/members/{id}/verify", "/org/members/{member}/verify", Form(""), None, ADMIN_FORM),
        row("POST", "/api/v1/org/members/{id}/verify", "/api/v1/org/members/{member}/verify", No, None, ADMIN_DOC),
        // Signing out: each actor on a fresh session of their own (see `fresh`).
        row("POST", "/logout", "/logout", Form(""), None, ["L"; 10]),
        row("POST", "/api/v1/logout", "/api/v1/logout", No, None, PUBLIC),
        row("POST", "/account/sign-out-everywhere", "/account/sign-out-everywhere", Form(""), None, ["L"; 10]),
        row("POST", "/api/v1/account/sign-out-everywhere", "/api/v1/account/sign-out-everywhere", No, None, SIGNED_DOC),
    ]
}

/// More rows on routes the matrix has, asked before it: a check-in's thread is the medical
/// scope's, where the run's thread in the matrix is every grant's.
#[rustfmt::skip]
fn probes() -> Vec<Row> {
    let med = Some(MED_MARK);
    vec![
        row("GET", "/athletes/{id}/threads/{kind}/{target}", "/athletes/{me}/threads/checkin/{checkin}", Body::None, med, MED_PAGE),
        row("GET", "/api/v1/athletes/{id}/threads/{kind}/{target}", "/api/v1/athletes/{me}/threads/checkin/{checkin}", Body::None, med, MED_DOC),
        // Ana's page as the clinician sees it links the check-in's thread; no coach's does.
        row("GET", "/athletes/{id}", "/athletes/{me}", Body::None, Some("threads/checkin"),
            ["404", "ok", "ok", "ok", "404", "ok+", "404", "404", "404", "L"]),
    ]
}

/// Id swaps: Ana asks for Ben's things by id, and Ben for Ana's through the routes that take
/// ids of one's own; every one is not found (what is in them stays unsaid). Not routes of
/// their own: the rows above cover the routes.
#[rustfmt::skip]
fn swaps() -> Vec<(Actor, &'static str, &'static str, Body)> {
    use Body::{Form, Json, None as No};
    vec![
        (Owner, "GET", "/activities/{ben_run}", No),
        (Owner, "GET", "/api/v1/activities/{ben_run}", No),
        (Owner, "POST", "/api/v1/activities/{ben_run}/rpe", Json(r#"{"rpe":5}"#)),
        (Owner, "GET", "/import/jobs/{ben_job}", No),
        (Owner, "GET", "/api/v1/import/jobs/{ben_job}", No),
        (Owner, "POST", "/api/v1/shoes/{ben_shoe}/retire", No),
        (Owner, "POST", "/shoes/{ben_shoe}/default", Form("")),
        (Owner, "DELETE", "/api/v1/scores/{ben_score}", No),
        (Owner, "GET", "/athletes/{ben}/threads/activity/{ben_run}", No),
        (Owner, "GET", "/api/v1/athletes/{ben}/threads/activity/{ben_run}", No),
        // Ana's id in the path with Ben's comment: a comment is looked up under its athlete.
        (Owner, "GET", "/athletes/{me}/comments/{ben_comment}/edit", No),
        (Owner, "DELETE", "/api/v1/athletes/{me}/comments/{ben_comment}", No),
        (Owner, "DELETE", "/api/v1/athletes/{ben}/comments/{ben_comment}", No),
        // Ana's thread with Ben's run in it.
        (Owner, "GET", "/athletes/{me}/threads/activity/{ben_run}", No),
        (Owner, "POST", "/api/v1/notifications/{ben_note}/read", No),
        (Other, "GET", "/api/v1/athletes/{me}/threads/checkin/{checkin}", No),
        (Other, "GET", "/checkin/{checkin}", No),
        (Other, "POST", "/api/v1/activities/{run}/rpe", Json(r#"{"rpe":5}"#)),
        (Other, "POST", "/activities/{run}/rpe", Form("rpe=5")),
        (Other, "POST", "/api/v1/assessment", Json(r#"{"checkin_id":{checkin}}"#)),
        (Other, "GET", "/api/v1/assessment?checkin={checkin}", No),
        (Other, "DELETE", "/api/v1/energy/intake/{intake}", No),
        (Other, "POST", "/api/v1/athletes/{me}/threads/plan/{plan}", Json(r#"{"body":"hello"}"#)),
        // The check-in's thread, and its comments, are the medical scope's.
        (View, "GET", "/athletes/{me}/threads/checkin/{checkin}", No),
        (Comment, "POST", "/api/v1/athletes/{me}/threads/checkin/{checkin}", Json(r#"{"body":"hello"}"#)),
        (Edit, "GET", "/api/v1/athletes/{me}/threads/assessment/{assessment}", No),
        (Edit, "GET", "/athletes/{me}/comments/{med_comment}/edit", No),
        (Revoked, "GET", "/api/v1/athletes/{me}/threads/plan/{plan}", No),
        (Staff, "GET", "/api/v1/athletes/{me}", No),
        (Admin, "GET", "/athletes/{me}", No),
        // Ben's roster has nothing: Ana's grants are not his.
        (Other, "DELETE", "/api/v1/sharing/grants/{grant}", No),
        (Other, "DELETE", "/api/v1/sharing/invitations/{inv}", No),
    ]
}

/// The world's ids, by placeholder name.
struct World {
    s: Spawned,
    cookies: BTreeMap<Actor, String>,
    ids: BTreeMap<&'static str, String>,
}

fn json_as(s: &Spawned, cookie: &str) -> Vec<(&'static str, String)> {
    vec![("cookie", cookie.to_owned()), ("origin", s.base.clone())]
}

impl World {
    fn fill(&self, url: &str) -> String {
        let mut out = url.to_owned();
        for (k, v) in &self.ids {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }

    /// Sends `method url` with `body` as `cookie`'s holder (none: anonymous).
    async fn ask(&self, method: &str, url: &str, body: Body, cookie: Option<&str>) -> Answer {
        let url = self.fill(url);
        assert!(
            !url.contains('{'),
            "a placeholder the world has no id for: {url}"
        );
        let mut req = axum::http::Request::builder()
            .method(method)
            .uri(format!("{}{url}", self.s.base));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let body = match body {
            Body::None => axum::body::Body::empty(),
            Body::Form(f) => {
                req = req
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", &self.s.base)
                    .header("sec-fetch-site", "same-origin");
                axum::body::Body::from(f.to_owned())
            }
            Body::Json(j) => {
                req = req.header("content-type", "application/json");
                axum::body::Body::from(self.fill(j))
            }
        };
        self.s.send(req.body(body).unwrap()).await
    }

    async fn post_json(
        &self,
        actor: Actor,
        path: &str,
        doc: serde_json::Value,
    ) -> serde_json::Value {
        let h = json_as(&self.s, &self.cookies[&actor]);
        let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let a = self
            .s
            .post(path, "application/json", doc.to_string(), &h)
            .await;
        assert_eq!(a.status, 200, "{actor:?} {path}: {}", a.body);
        a.json()
    }

    async fn get_json(&self, actor: Actor, path: &str) -> serde_json::Value {
        let a = get_as(&self.s, path, &self.cookies[&actor]).await;
        assert_eq!(a.status, 200, "{actor:?} {path}: {}", a.body);
        a.json()
    }
}

/// An id in a document, as text for a path.
fn id(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => panic!("not an id: {other}"),
    }
}

/// Signs `email` in through the sign-in form and returns the session cookie.
async fn sign_in(s: &Spawned, email: &str) -> String {
    let a = s
        .post_form("/login", &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(a.status, 303, "{email}: {}", a.body);
    cookie(&a)
}

fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "soleus-authz-boundary-19c2";
    let mut body = Vec::new();
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(bytes);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads a device file as `cookie`'s holder and waits for the job to finish; its id.
async fn import_as(s: &Spawned, cookie: &str, file: &str) -> String {
    let bytes = std::fs::read(corpus(file)).unwrap();
    let (ct, body) = multipart(file.rsplit('/').next().unwrap(), &bytes);
    let a = s
        .post("/api/v1/import", &ct, body, &[("cookie", cookie)])
        .await;
    assert_eq!(a.status, 202, "{}", a.body);
    let job = id(&a.json()["id"]);
    for _ in 0..600 {
        let j = get_as(s, &format!("/api/v1/import/jobs/{job}"), cookie).await;
        assert_eq!(j.status, 200, "{}", j.body);
        if j.json()["done"] == true {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import job {job} did not finish");
}

/// Ana invites `email` as `role` at `level` through the JSON API; they sign up and accept.
async fn share(w: &World, email: &str, name: &str, role: &str, level: &str) -> String {
    let inv = w
        .post_json(
            Owner,
            "/api/v1/sharing/invitations",
            serde_json::json!({"email": email, "role": role, "level": level}),
        )
        .await;
    let link = inv["link"].as_str().unwrap().to_owned();
    let them = sign_up(&w.s, name, email, role).await;
    let h = [("cookie", them.as_str())];
    let ok =
        w.s.post(&format!("/api/v1{link}/accept"), "application/json", "", &h)
            .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    them
}

async fn build(s: Spawned) -> World {
    let mut w = World {
        s,
        cookies: BTreeMap::new(),
        ids: BTreeMap::new(),
    };
    // Ana is the first account: the runs already imported are hers.
    let ana = sign_up(&w.s, "Ana", "ana@example.org", "athlete").await;
    w.cookies.insert(Owner, ana.clone());
    let me = w.s.app.users().await.unwrap()[0].athlete.unwrap();
    w.ids.insert("me", me.to_string());
    let club = w.s.app.add_org("Riverside Running Club").await.unwrap();
    let other_club = w.s.app.add_org("Hillside Physio").await.unwrap();
    for (email, name, role, org) in [
        ("admin@example.org", "Ada", Role::Admin, Some(club)),
        ("staff@example.org", "Sam", Role::Coach, Some(other_club)),
        ("spare@example.org", "Spare", Role::Coach, None),
    ] {
        w.s.app
            .add_user(&SignUp {
                email: email.into(),
                password: PASSWORD.into(),
                display_name: name.into(),
                role,
                org,
            })
            .await
            .unwrap();
    }
    w.cookies
        .insert(Admin, sign_in(&w.s, "admin@example.org").await);
    w.cookies
        .insert(Staff, sign_in(&w.s, "staff@example.org").await);

    // Ana's data, through the JSON API.
    let runs = w.get_json(Owner, "/api/v1/activities").await;
    let run = id(&runs["activities"][0]["id"]);
    w.ids.insert("run", run.clone());
    let today = chrono::Utc::now().date_naive().to_string();
    let saved = w
        .post_json(
            Owner,
            "/api/v1/checkins",
            serde_json::json!({"date": today, "side": "left", "regions": ["CALF_MID"],
                "onset": "gradual", "days_since_onset": 4, "trend": "same",
                "pain": {"now": 2, "during_run": 4}}),
        )
        .await;
    let checkin = id(&saved["checkin_id"]);
    w.ids.insert("checkin", checkin.clone());
    let assessed = w
        .post_json(
            Owner,
            "/api/v1/assessment",
            serde_json::json!({"checkin_id": checkin.parse::<i64>().unwrap()}),
        )
        .await;
    w.ids.insert("assessment", id(&assessed["assessment_id"]));
    let plans =
        w.s.app
            .store()
            .entries(soleus_model::journal::Kind::Plan)
            .await
            .unwrap();
    let plan = plans.last().expect("the assessment started a plan").id.0;
    w.ids.insert("plan", plan.to_string());
    let lefs: serde_json::Map<String, serde_json::Value> =
        (1..=20).map(|i| (i.to_string(), 3.into())).collect();
    for key in ["score", "score2"] {
        let score = w
            .post_json(
                Owner,
                "/api/v1/scores",
                serde_json::json!({"instrument": "LEFS", "version": "Binkley99",
                    "date": today, "answers": lefs.clone()}),
            )
            .await;
        w.ids.insert(key, id(&score["id"]));
    }
    let shoe = w
        .post_json(
            Owner,
            "/api/v1/shoes",
            serde_json::json!({"name": SHOE_MARK, "drop_mm": "8"}),
        )
        .await;
    w.ids.insert("shoe", id(&shoe["id"]));
    let intake = w
        .post_json(
            Owner,
            "/api/v1/energy/intake",
            serde_json::json!({"kcal": 2100, "meal": "lunch"}),
        )
        .await;
    w.ids.insert("intake", id(&intake["id"]));
    let weight = w
        .post_json(
            Owner,
            "/api/v1/energy/weight",
            serde_json::json!({"weight": "61kg"}),
        )
        .await;
    w.ids.insert("weight", id(&weight["id"]));
    let job = import_as(&w.s, &ana, "gpx/fittrackee__test.gpx").await;
    w.ids.insert("job", job);
    for (key, body) in [
        ("comment", RUN_MARK),
        ("comment2", "A second note on the run"),
    ] {
        let c = w
            .post_json(
                Owner,
                &format!("/api/v1/athletes/{me}/threads/activity/{run}"),
                serde_json::json!({"body": body}),
            )
            .await;
        w.ids.insert(key, id(&c["id"]));
    }

    // The people Ana shares with.
    for (actor, email, name, role, level) in [
        (View, "view@example.org", "Vic", "coach", "view"),
        (Comment, "comment@example.org", "Kim", "coach", "comment"),
        (Edit, "edit@example.org", "Eda", "coach", "edit"),
        (Revoked, "revoked@example.org", "Rex", "coach", "edit"),
        (
            Clinician,
            "doc@example.org",
            "Dr Lee",
            "clinician",
            "comment",
        ),
    ] {
        let c = share(&w, email, name, role, level).await;
        w.cookies.insert(actor, c);
    }
    let sharing = w.get_json(Owner, "/api/v1/sharing").await;
    let grant_of = |name: &str| {
        sharing["grants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["user_name"] == name)
            .map(|g| id(&g["id"]))
            .unwrap()
    };
    let (rex, vic, eda) = (grant_of("Rex"), grant_of("Vic"), grant_of("Eda"));
    let h = json_as(&w.s, &ana);
    let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let gone =
        w.s.send({
            let mut r =
                axum::http::Request::delete(format!("{}/api/v1/sharing/grants/{rex}", w.s.base));
            for (k, v) in &h {
                r = r.header(*k, *v);
            }
            r.body(axum::body::Body::empty()).unwrap()
        })
        .await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    // The last rows revoke the grants to view and to edit.
    w.ids.insert("grant", vic);
    w.ids.insert("grant2", eda);
    // Open invitations: one to accept (by nobody in the world), two to withdraw.
    for key in ["token", "inv", "inv2"] {
        let inv = w
            .post_json(
                Owner,
                "/api/v1/sharing/invitations",
                serde_json::json!({"email": format!("{key}@example.org"), "role": "coach"}),
            )
            .await;
        if key == "token" {
            let link = inv["link"].as_str().unwrap();
            w.ids
                .insert("token", link.rsplit('/').next().unwrap().to_owned());
        } else {
            w.ids.insert(key, id(&inv["id"]));
        }
    }
    w.ids.insert("nonsense", "0".repeat(64));
    let login = w.s.get("/login").await.body;
    let at = login
        .find("/assets/")
        .expect("the page links its stylesheet")
        + "/assets/".len();
    let file: String = login[at..].chars().take_while(|c| *c != '"').collect();
    w.ids.insert("asset", file);

    // The clinician's comment on the check-in, and the coach's on the run (Ana is told).
    let c = w
        .post_json(
            Clinician,
            &format!("/api/v1/athletes/{me}/threads/checkin/{checkin}"),
            serde_json::json!({"body": MED_MARK}),
        )
        .await;
    w.ids.insert("med_comment", id(&c["id"]));
    w.post_json(
        Comment,
        &format!("/api/v1/athletes/{me}/threads/activity/{run}"),
        serde_json::json!({"body": "Nice and steady"}),
    )
    .await;
    let inbox = w.get_json(Owner, "/api/v1/notifications").await;
    w.ids.insert("note", id(&inbox["notifications"][0]["id"]));
    w.ids.insert("note2", id(&inbox["notifications"][1]["id"]));

    // Ben, with data of his own.
    let ben = sign_up(&w.s, "Ben", "ben@example.org", "athlete").await;
    w.cookies.insert(Other, ben.clone());
    let ben_athlete = w.get_json(Other, "/api/v1/account").await["user"]["athlete"].clone();
    w.ids.insert("ben", id(&ben_athlete));
    let ben_job = import_as(&w.s, &ben, "tcx/goldencheetah__2009_01_09_11_13_14.tcx").await;
    w.ids.insert("ben_job", ben_job);
    let ben_runs = w.get_json(Other, "/api/v1/activities").await;
    let ben_run = id(&ben_runs["activities"][0]["id"]);
    w.ids.insert("ben_run", ben_run.clone());
    let b = id(&ben_athlete);
    let c = w
        .post_json(
            Other,
            &format!("/api/v1/athletes/{b}/threads/activity/{ben_run}"),
            serde_json::json!({"body": BEN_MARK}),
        )
        .await;
    w.ids.insert("ben_comment", id(&c["id"]));
    let shoe = w
        .post_json(
            Other,
            "/api/v1/shoes",
            serde_json::json!({"name": BEN_MARK}),
        )
        .await;
    w.ids.insert("ben_shoe", id(&shoe["id"]));
    let score = w
        .post_json(
            Other,
            "/api/v1/scores",
            serde_json::json!({"instrument": "LEFS", "version": "Binkley99",
                "date": today, "answers": lefs}),
        )
        .await;
    w.ids.insert("ben_score", id(&score["id"]));
    // A notification of Ben's: Ana comments nowhere of his, so Ben's own coach does.
    let inv = w
        .post_json(
            Other,
            "/api/v1/sharing/invitations",
            serde_json::json!({"email": "bencoach@example.org", "role": "coach", "level": "comment"}),
        )
        .await;
    let coach = sign_up(&w.s, "Bo", "bencoach@example.org", "coach").await;
    let link = inv["link"].as_str().unwrap();
    let ok =
        w.s.post(
            &format!("/api/v1{link}/accept"),
            "application/json",
            "",
            &[("cookie", coach.as_str())],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let c =
        w.s.post(
            &format!("/api/v1/athletes/{b}/threads/activity/{ben_run}"),
            "application/json",
            serde_json::json!({"body": "Good run"}).to_string(),
            &[("cookie", coach.as_str())],
        )
        .await;
    assert_eq!(c.status, 200, "{}", c.body);
    let inbox = w.get_json(Other, "/api/v1/notifications").await;
    w.ids
        .insert("ben_note", id(&inbox["notifications"][0]["id"]));

    // The club's side: a member coach with a profile, and two invitations the admin made.
    w.s.app
        .add_user(&SignUp {
            email: "member@example.org".into(),
            password: PASSWORD.into(),
            display_name: "Mo".into(),
            role: Role::Coach,
            org: Some(club),
        })
        .await
        .unwrap();
    let mo = sign_in(&w.s, "member@example.org").await;
    let h = json_as(&w.s, &mo);
    let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made =
        w.s.post(
            "/api/v1/account/profile",
            "application/json",
            serde_json::json!({"credentials": "UKA Level 3 endurance coach"}).to_string(),
            &h,
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let account = get_as(&w.s, "/api/v1/account", &mo).await.json();
    w.ids.insert("member", id(&account["user"]["id"]));
    for (key, email) in [
        ("org_inv", "joiner@example.org"),
        ("org_inv2", "joiner2@example.org"),
    ] {
        let inv = w
            .post_json(
                Admin,
                "/api/v1/org/invitations",
                serde_json::json!({"email": email, "role": "coach"}),
            )
            .await;
        w.ids.insert(key, id(&inv["id"]));
        if key == "org_inv" {
            let link = inv["link"].as_str().unwrap();
            w.ids
                .insert("join_token", link.rsplit('/').next().unwrap().to_owned());
        }
    }
    w
}

/// Whether `a` is what `code` says; a failure's words otherwise.
fn judge(a: &Answer, code: &str, mark: Option<&str>, actor: Actor) -> Result<(), String> {
    let location = a.header("location");
    let ok = match code {
        "ok" | "ok+" => a.status == 200,
        "L" => a.status == 303 && location.starts_with("/login"),
        "R" => a.status == 303 && location == "/roster",
        "303" => a.status == 303 && !location.starts_with("/login"),
        "SEE" => matches!(a.status, 301 | 303 | 308),
        n => n.parse::<u16>().ok() == Some(a.status),
    };
    if !ok {
        return Err(format!("{} {location}", a.status));
    }
    match (code, mark) {
        ("ok+", Some(m)) if !a.body.contains(m) => return Err(format!("200 without {m}")),
        ("ok+", None) => panic!("a row with ok+ names its marker"),
        ("ok", Some(m)) if a.body.contains(m) => return Err(format!("200 carrying {m}")),
        _ => {}
    }
    // What no answer to this actor may carry, whatever its status.
    let mut never: Vec<&str> = Vec::new();
    if !actor.medical() {
        never.push(MED_MARK);
    }
    if !actor.granted() {
        never.push(RUN_MARK);
    }
    if actor != Owner {
        never.push(SHOE_MARK);
    }
    if actor != Other {
        never.push(BEN_MARK);
    }
    for m in never {
        if a.body.contains(m) {
            return Err(format!("{} carrying {m}", a.status));
        }
    }
    Ok(())
}

/// A session of `actor`'s own for a row that ends it: signed in afresh.
async fn fresh(w: &World, actor: Actor) -> Option<String> {
    let email = match actor {
        Owner => "ana@example.org",
        View => "view@example.org",
        Comment => "comment@example.org",
        Edit => "edit@example.org",
        Revoked => "revoked@example.org",
        Clinician => "doc@example.org",
        Other => "ben@example.org",
        Staff => "staff@example.org",
        Admin => "admin@example.org",
        Anon => return None,
    };
    Some(sign_in(&w.s, email).await)
}

async fn run_matrix(s: Spawned) {
    let table = matrix();
    // Every route has its row, and every row its route.
    let source = routes_in_source();
    assert!(source.len() > 90, "the scan finds the routes: {source:?}");
    let mut rows = BTreeSet::new();
    for r in &table {
        assert!(
            rows.insert((r.route.0.to_owned(), r.route.1.to_owned())),
            "two rows for {:?}",
            r.route
        );
    }
    let missing: Vec<_> = source.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&source).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the matrix: {missing:?}"
    );
    assert!(stale.is_empty(), "rows for routes that are gone: {stale:?}");

    let w = build(s).await;
    let mut wrong = Vec::new();
    for (actor, method, url, body) in swaps() {
        let a = w
            .ask(method, url, body, w.cookies.get(&actor).map(String::as_str))
            .await;
        if let Err(why) = judge(&a, "404", None, actor) {
            wrong.push(format!(
                "swap {method} {} as {actor:?}: expected 404, got {why}",
                w.fill(url)
            ));
        }
    }
    for r in probes().iter().chain(&table) {
        // Ana's cell last: her answer may change what the others would have met.
        let order = ACTORS
            .iter()
            .enumerate()
            .skip(1)
            .chain(std::iter::once((0, &Owner)));
        for (i, &actor) in order {
            let ends_session = r.route.1.contains("logout") || r.route.1.contains("everywhere");
            let cookie = if ends_session {
                fresh(&w, actor).await
            } else {
                w.cookies.get(&actor).cloned()
            };
            let a = w.ask(r.route.0, r.url, r.body, cookie.as_deref()).await;
            if let Err(why) = judge(&a, r.codes[i], r.mark, actor) {
                let start: String = a.body.chars().take(160).collect();
                wrong.push(format!(
                    "{} {} as {actor:?}: expected {}, got {why} ({start})",
                    r.route.0,
                    w.fill(r.url),
                    r.codes[i]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers are wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn every_route_answers_every_actor_as_the_rules_say_on_sqlite() {
    run_matrix(spawn_app("km", true).await).await;
}

#[tokio::test]
async fn every_route_answers_every_actor_as_the_rules_say_on_postgres() {
    use sqlx::Connection;
    let Ok(server) = std::env::var("SOLEUS_TEST_PG_URL") else {
        eprintln!("skipped: SOLEUS_TEST_PG_URL not set");
        return;
    };
    let name = format!(
        "soleus_web_authz_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_subsec_nanos()
    );
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (base, query) = server.split_once('?').unwrap_or((&server, ""));
    let cut = base
        .rfind('/')
        .filter(|&i| i > base.find("://").unwrap() + 2);
    let root = cut.map_or(base, |i| &base[..i]);
    let url = if query.is_empty() {
        format!("{root}/{name}")
    } else {
        format!("{root}/{name}?{query}")
    };
    let outcome = tokio::spawn(async move { run_matrix(spawn_on_url(&url).await).await }).await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
