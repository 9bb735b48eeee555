//! Organisations and people on the web (issue 12; WEB.md "Security tests" 1, 4, 9): an
//! admin's `/org` page and its API, the invitation's page `/join/{token}`, a person's page
//! `/people/{id}` and the professional profile on the account page.
//!
//! Expected values come from the brief: invitations are single use, expire after 7 days,
//! are bound to the invited address and stored hashed; whoever may not see an organisation
//! or a person gets 404; credentials come out escaped.

mod common;

use common::{Answer, Spawned, askama_escape, cookie, get_as, post_as, sign_up, spawn_app};
use serde_json::json;
use sha2::{Digest, Sha256};
use soleus_app::accounts::{NewMember, Role, SignUp};
use soleus_app::{OrgId, UserId};
use sqlx::Connection;

const PASSWORD: &str = "larch meadow 42";

async fn sign_in(s: &Spawned, email: &str) -> String {
    let a = s
        .post_form("/login", &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    cookie(&a)
}

/// An organisation and its admin, signed in.
async fn org_with_admin(s: &Spawned, name: &str, email: &str) -> (OrgId, String) {
    let org = s.app.add_org(name).await.unwrap();
    s.app
        .add_user(&SignUp {
            email: email.into(),
            password: PASSWORD.into(),
            display_name: format!("Admin of {name}"),
            role: Role::Admin,
            org: Some(org),
        })
        .await
        .unwrap();
    (org, sign_in(s, email).await)
}

async fn member(s: &Spawned, org: OrgId, name: &str, email: &str, role: Role) -> (UserId, String) {
    let u = s
        .app
        .add_user(&SignUp {
            email: email.into(),
            password: PASSWORD.into(),
            display_name: name.into(),
            role,
            org: Some(org),
        })
        .await
        .unwrap();
    (u.id, sign_in(s, email).await)
}

/// The 64 hex digits after `prefix` in `body`.
fn token_after(body: &str, prefix: &str) -> String {
    let at = body
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {body}"))
        + prefix.len();
    let t: String = body[at..].chars().take(64).collect();
    assert!(
        t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()),
        "{t}"
    );
    t
}

async fn sqlite(s: &Spawned) -> sqlx::SqliteConnection {
    sqlx::SqliteConnection::connect(&s.url).await.unwrap()
}

async fn audit_actions(s: &Spawned) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&mut sqlite(s).await)
        .await
        .unwrap()
}

/// An invitation to `org` made as `soleus org invite` makes it: its id and token.
async fn invite(app: &soleus_app::App, org: OrgId, email: &str, role: Role) -> (i64, String) {
    let inv = app
        .org_invite(
            org,
            &NewMember {
                email: email.into(),
                role,
            },
            None,
        )
        .await
        .unwrap();
    let token = inv.link.unwrap().trim_start_matches("/join/").to_owned();
    (inv.id, token)
}

fn location(a: &Answer) -> &str {
    a.header("location")
}

#[tokio::test]
async fn an_admin_invites_and_the_invitee_signs_up_once_bound_to_the_address() {
    let s = spawn_app("km", false).await;
    let (_, admin) = org_with_admin(&s, "Harbour Striders", "admin@example.org").await;

    let page = get_as(&s, "/org", &admin).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("<h1>Harbour Striders</h1>"),
        "{}",
        page.body
    );

    // Bad input: a clear message beside the field, nothing made.
    let bad = post_as(
        &s,
        "/org/invite",
        &admin,
        &[("email", "lee"), ("role", "coach")],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not an email address"), "{}", bad.body);
    let bad = post_as(
        &s,
        "/org/invite",
        &admin,
        &[("email", "lee@example.org"), ("role", "boss")],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("athlete, coach, clinician or admin"),
        "{}",
        bad.body
    );

    let made = post_as(
        &s,
        "/org/invite",
        &admin,
        &[("email", "Lee@example.org"), ("role", "clinician")],
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let token = token_after(&made.body, "/join/");
    // Stored as its SHA-256 only: 256 bits of token, never the token itself.
    let hashes: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM invitations")
        .fetch_all(&mut sqlite(&s).await)
        .await
        .unwrap();
    let expected: String = Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hashes, vec![expected]);
    // Pending, with a withdraw button, on the admin's page.
    let page = get_as(&s, "/org", &admin).await;
    assert!(
        page.body.contains("Lee@example.org as clinician"),
        "{}",
        page.body
    );

    let join = s.get(&format!("/join/{token}")).await;
    assert_eq!(join.status, 200, "{}", join.body);
    assert!(join.body.contains("Join Harbour Striders"), "{}", join.body);
    assert!(join.body.contains("Lee@example.org"), "{}", join.body);
    assert_eq!(
        s.get(&format!("/join/{}", "0".repeat(64))).await.status,
        404
    );
    assert_eq!(s.get("/join/not-a-token").await.status, 404);

    // A weak password: refused, the invitation still open.
    let weak = s
        .post_form(
            &format!("/join/{token}"),
            &[("display_name", "Lee"), ("password", "short")],
        )
        .await;
    assert_eq!(weak.status, 422, "{}", weak.body);
    let ok = s
        .post_form(
            &format!("/join/{token}"),
            &[("display_name", "Lee"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(location(&ok), "/roster");
    let lee = cookie(&ok);
    let account = get_as(&s, "/account", &lee).await;
    assert!(
        account.body.contains("<dd>clinician</dd>"),
        "{}",
        account.body
    );
    let users = s.app.users().await.unwrap();
    let u = users.iter().find(|u| u.email == "Lee@example.org").unwrap();
    assert_eq!((u.role, u.org.is_some()), (Role::Clinician, true));

    // Single use: the second sign-up and the signed-in join are refused, the page says so.
    let again = s
        .post_form(
            &format!("/join/{token}"),
            &[("display_name", "Lee 2"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    let accept = post_as(&s, &format!("/join/{token}/accept"), &lee, &[]).await;
    assert_eq!(accept.status, 409, "{}", accept.body);
    assert!(
        s.get(&format!("/join/{token}"))
            .await
            .body
            .contains("This invitation is used")
    );
    // Used: no longer pending.
    assert!(
        !get_as(&s, "/org", &admin)
            .await
            .body
            .contains("Lee@example.org as clinician")
    );

    let actions = audit_actions(&s).await;
    for a in ["org_invite", "sign_up", "org_join"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn expired_withdrawn_and_other_address_invitations_open_nothing() {
    let s = spawn_app("km", false).await;
    let (org, admin) = org_with_admin(&s, "Riverside Physio", "admin@example.org").await;
    // Expired: the page says so and signing up is refused.
    let (_, old) = invite(&s.app, org, "old@example.org", Role::Athlete).await;
    sqlx::query("UPDATE invitations SET expires_ms = 1 WHERE email = 'old@example.org'")
        .execute(&mut sqlite(&s).await)
        .await
        .unwrap();
    assert!(
        s.get(&format!("/join/{old}"))
            .await
            .body
            .contains("This invitation is expired")
    );
    let a = s
        .post_form(
            &format!("/join/{old}"),
            &[("display_name", "Old"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(a.body.contains("expired"), "{}", a.body);
    assert!(
        !s.app
            .users()
            .await
            .unwrap()
            .iter()
            .any(|u| u.email == "old@example.org")
    );

    // Bound to the address: someone signed in with another cannot use it.
    let (_, for_kim) = invite(&s.app, org, "kim@example.org", Role::Coach).await;
    let bob = sign_up(&s, "Bob", "bob@example.org", "athlete").await;
    let a = post_as(&s, &format!("/join/{for_kim}/accept"), &bob, &[]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("sign in as kim@example.org"), "{}", a.body);
    let bob_user = s
        .app
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "bob@example.org");
    assert_eq!(bob_user.map(|u| u.org), Some(None));

    // Signed in with the invited address: joins, with the role.
    let kim = sign_up(&s, "Kim", "KIM@example.org", "athlete").await;
    let page = get_as(&s, &format!("/join/{for_kim}"), &kim).await;
    assert!(
        page.body.contains("Signed in as KIM@example.org"),
        "{}",
        page.body
    );
    let a = post_as(&s, &format!("/join/{for_kim}/accept"), &kim, &[]).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(location(&a), "/account?saved=joined");
    let k = s
        .app
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.display_name == "Kim")
        .unwrap();
    assert_eq!((k.org, k.role), (Some(org), Role::Coach));

    // Withdrawn: its link no longer opens anything; another org's admin cannot withdraw.
    let (id, gone) = invite(&s.app, org, "gone@example.org", Role::Athlete).await;
    let (_, other_admin) = org_with_admin(&s, "Other Club", "other@example.org").await;
    let path = format!("/org/invitations/{id}/withdraw");
    assert_eq!(post_as(&s, &path, &other_admin, &[]).await.status, 404);
    assert_eq!(post_as(&s, &path, &kim, &[]).await.status, 404);
    let a = post_as(&s, &path, &admin, &[]).await;
    assert_eq!((a.status, location(&a)), (303, "/org?saved=org-withdrawn"));
    assert_eq!(s.get(&format!("/join/{gone}")).await.status, 404);
    assert_eq!(
        post_as(&s, &path, &admin, &[]).await.status,
        404,
        "withdrawn already"
    );
    assert_eq!(
        post_as(&s, "/org/invitations/x/withdraw", &admin, &[])
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn only_the_organisations_admins_see_and_change_it() {
    let s = spawn_app("km", false).await;
    let (org, admin) = org_with_admin(&s, "Harbour Striders", "admin@example.org").await;
    let (ria, ria_cookie) = member(&s, org, "Ria", "ria@example.org", Role::Coach).await;
    let (_, other_admin) = org_with_admin(&s, "Other Club", "other@example.org").await;

    // Anonymous: sign in first (page) or 401 (API).
    let a = s.get("/org").await;
    assert_eq!((a.status, location(&a)), (303, "/login?next=/org"));
    assert_eq!(s.get("/api/v1/org").await.status, 401);

    let disable = format!("/org/members/{}/disable", ria.0);
    // A member who is not an admin, and another organisation's admin: not found.
    assert_eq!(get_as(&s, "/org", &ria_cookie).await.status, 404);
    assert_eq!(get_as(&s, "/api/v1/org", &ria_cookie).await.status, 404);
    let a = post_as(
        &s,
        "/org/invite",
        &ria_cookie,
        &[("email", "x@example.org"), ("role", "coach")],
    )
    .await;
    assert_eq!(a.status, 404);
    // Another organisation's admin sees their own organisation, never this one's members.
    let theirs = get_as(&s, "/org", &other_admin).await;
    assert!(
        theirs.body.contains("<h1>Other Club</h1>") && !theirs.body.contains("Ria"),
        "{}",
        theirs.body
    );
    for c in [&ria_cookie, &other_admin] {
        assert_eq!(post_as(&s, &disable, c, &[]).await.status, 404);
        assert_eq!(
            post_as(&s, &format!("/org/members/{}/verify", ria.0), c, &[])
                .await
                .status,
            404
        );
    }
    assert_eq!(
        post_as(&s, "/org/members/999999/disable", &admin, &[])
            .await
            .status,
        404
    );

    // The API: the same view, an invitation with its link's path once.
    let v = get_as(&s, "/api/v1/org", &admin).await.json();
    assert_eq!(v["name"], "Harbour Striders");
    let names: Vec<&str> = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Admin of Harbour Striders", "Ria"]);
    let a = s
        .post(
            "/api/v1/org/invitations",
            "application/json",
            json!({"email": "sam@example.org", "role": "athlete"}).to_string(),
            &[
                ("cookie", admin.as_str()),
                ("origin", s.base.as_str()),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let inv = a.json();
    assert_eq!(
        (inv["email"].as_str(), inv["state"].as_str()),
        (Some("sam@example.org"), Some("open"))
    );
    assert!(inv["link"].as_str().unwrap().starts_with("/join/"));
    let listed = get_as(&s, "/api/v1/org", &admin).await.json();
    assert!(
        listed["invitations"][0].get("link").is_none(),
        "the link is shown once"
    );

    // Disabling ends the member's sessions; an admin cannot disable themselves.
    let a = post_as(&s, &disable, &admin, &[]).await;
    assert_eq!(
        (a.status, location(&a)),
        (303, "/org?saved=member-disabled")
    );
    assert_eq!(get_as(&s, "/account", &ria_cookie).await.status, 303);
    let page = get_as(&s, "/org", &admin).await;
    assert!(page.body.contains("Enable Ria"), "{}", page.body);
    let me = s
        .app
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "admin@example.org")
        .unwrap();
    let a = post_as(
        &s,
        &format!("/org/members/{}/disable", me.id.0),
        &admin,
        &[],
    )
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    let a = post_as(&s, &format!("/org/members/{}/enable", ria.0), &admin, &[]).await;
    assert_eq!((a.status, location(&a)), (303, "/org?saved=member-enabled"));
    sign_in(&s, "ria@example.org").await;
    let actions = audit_actions(&s).await;
    assert!(actions.iter().any(|x| x == "disable") && actions.iter().any(|x| x == "enable"));
}

#[tokio::test]
async fn credentials_are_verified_by_the_admin_shown_escaped_and_only_to_colleagues() {
    let s = spawn_app("km", false).await;
    let (org, admin) = org_with_admin(&s, "Riverside Physio", "admin@example.org").await;
    let (dana, dana_cookie) = member(&s, org, "Dana", "dana@example.org", Role::Clinician).await;
    let (_, colleague) = member(&s, org, "Mo", "mo@example.org", Role::Athlete).await;
    let other = s.app.add_org("Elsewhere").await.unwrap();
    let (_, stranger) = member(&s, other, "Zed", "zed@example.org", Role::Athlete).await;

    // Bad input and a runner's profile: refused.
    let a = post_as(
        &s,
        "/account/profile",
        &dana_cookie,
        &[("credentials", "  "), ("bio", "")],
    )
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(
        a.body.contains("credentials: 1 to 200 characters"),
        "{}",
        a.body
    );
    let a = post_as(
        &s,
        "/account/profile",
        &colleague,
        &[("credentials", "Runner")],
    )
    .await;
    assert_eq!(a.status, 403, "{}", a.body);

    let markup = "DPT <script>alert(1)</script> & \"SCS\"";
    let a = post_as(
        &s,
        "/account/profile",
        &dana_cookie,
        &[("credentials", markup), ("bio", "Tendons.")],
    )
    .await;
    assert_eq!((a.status, location(&a)), (303, "/account?saved=profile"));
    let path = format!("/people/{}", dana.0);
    let page = get_as(&s, &path, &colleague).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&askama_escape(markup)), "{}", page.body);
    assert!(!page.body.contains("<script>alert(1)"), "{}", page.body);
    assert!(page.body.contains("Not verified."), "{}", page.body);
    assert!(!page.body.contains("dana@example.org"), "never the address");
    assert!(page.body.contains("Riverside Physio"));

    // The admin verifies it; the page says by whom.
    let a = post_as(&s, &format!("/org/members/{}/verify", dana.0), &admin, &[]).await;
    assert_eq!((a.status, location(&a)), (303, "/org?saved=verified"));
    let page = get_as(&s, &path, &colleague).await;
    assert!(
        page.body
            .contains("<strong>Verified</strong> by Riverside Physio"),
        "{}",
        page.body
    );
    let v = get_as(&s, &format!("/api/v1/people/{}", dana.0), &colleague)
        .await
        .json();
    assert_eq!(
        (
            v["profile"]["verified"].as_bool(),
            v["profile"]["verified_by"].as_str()
        ),
        (Some(true), Some("Riverside Physio"))
    );
    assert!(v.get("email").is_none(), "{v}");

    // Another organisation's member, anonymous, an unknown id: not found (or sign in).
    assert_eq!(get_as(&s, &path, &stranger).await.status, 404);
    assert_eq!(
        get_as(&s, &format!("/api/v1/people/{}", dana.0), &stranger)
            .await
            .status,
        404
    );
    assert_eq!(get_as(&s, "/people/999999", &colleague).await.status, 404);
    assert_eq!(get_as(&s, "/people/abc", &colleague).await.status, 404);
    assert_eq!(s.get(&path).await.status, 303);
    assert_eq!(
        s.get(&format!("/api/v1/people/{}", dana.0)).await.status,
        401
    );

    // A grant in force links them, in either direction: the stranger shares with Dana.
    let made = post_as(
        &s,
        "/sharing/invite",
        &stranger,
        &[
            ("email", "dana@example.org"),
            ("role", "clinician"),
            ("level", "comment"),
        ],
    )
    .await;
    let token = token_after(&made.body, "/invitations/");
    let a = post_as(
        &s,
        &format!("/invitations/{token}/accept"),
        &dana_cookie,
        &[],
    )
    .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        get_as(&s, &path, &stranger).await.status,
        200,
        "the athlete sees their clinician"
    );
    let zed = s
        .app
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "zed@example.org")
        .unwrap();
    assert_eq!(
        get_as(&s, &format!("/people/{}", zed.id.0), &dana_cookie)
            .await
            .status,
        200,
        "the clinician sees their athlete"
    );

    // Editing clears the verification.
    let a = post_as(&s, "/api/v1/account/profile", &dana_cookie, &[]).await;
    assert_ne!(a.status, 200, "a form is not the API's JSON");
    let a = s
        .post(
            "/api/v1/account/profile",
            "application/json",
            json!({"credentials": "DPT"}).to_string(),
            &[
                ("cookie", dana_cookie.as_str()),
                ("origin", s.base.as_str()),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["verified"], false);
    assert!(
        get_as(&s, &path, &colleague)
            .await
            .body
            .contains("Not verified.")
    );
    let actions = audit_actions(&s).await;
    for x in ["profile_edited", "profile_verified"] {
        assert!(actions.iter().any(|a| a == x), "{x} in {actions:?}");
    }
}

#[tokio::test]
async fn an_invitation_never_takes_the_administration_from_the_admin() {
    let s = spawn_app("km", false).await;
    let (org, admin) = org_with_admin(&s, "Harbour Striders", "admin@example.org").await;
    // An invitation to the admin's own address, as a coach (made by mistake, or by a second
    // admin): using it would leave the organisation without anyone who can invite.
    let (_, token) = invite(&s.app, org, "admin@example.org", Role::Coach).await;
    let used = post_as(&s, &format!("/join/{token}/accept"), &admin, &[]).await;
    assert_eq!(used.status, 409, "{}", used.body);
    assert!(used.body.contains("admin already"), "{}", used.body);
    let me = s.app.users().await.unwrap();
    let me = me.iter().find(|u| u.email == "admin@example.org").unwrap();
    assert_eq!((me.role, me.org), (Role::Admin, Some(org)));
    assert_eq!(
        get_as(&s, "/org", &admin).await.status,
        200,
        "still the admin"
    );
}
