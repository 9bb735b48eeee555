//! Soleus's own line drawings: the body map of the lower leg and foot in five views, the home
//! tests, and the calf at work (the gastrocnemius with the knee straight, the soleus with it
//! bent) from the side and from behind. Plain SVG with classes only (the stylesheet colours
//! them), each with a title and a description for screen readers; nothing here comes from the
//! athlete, so nothing needs escaping.

use std::fmt::Write;

use soleus_model::clinical::Region;

/// One clickable region of a view: its code and its shape.
struct Shape {
    region: Region,
    svg: &'static str,
}

/// One view of the leg: its id, its name, the leg's outline and its regions.
struct View {
    id: &'static str,
    name: &'static str,
    outline: &'static str,
    shapes: &'static [Shape],
}

/// A side view of a lower leg, front (shin) to the left, heel to the right, toes to the left.
const SIDE_OUTLINE: &str = "M40 10 L55 250 Q52 262 30 270 L8 282 Q4 292 14 294 L84 294 Q98 292 94 274 L84 240 Q84 200 104 150 Q120 100 102 10 Z";

const VIEWS: &[View] = &[
    View {
        id: "front",
        name: "Front",
        outline: "M42 10 Q36 120 50 240 Q48 262 40 280 Q44 296 70 296 Q96 296 100 280 Q92 262 90 240 Q104 120 98 10 Z",
        shapes: &[
            Shape {
                region: Region::TibiaAnterior,
                svg: r#"<rect x="63" y="40" width="12" height="200" rx="5"/>"#,
            },
            Shape {
                region: Region::LegAnterolateral,
                svg: r#"<rect x="78" y="40" width="16" height="185" rx="7"/>"#,
            },
            Shape {
                region: Region::TibiaPmDistal,
                svg: r#"<rect x="46" y="120" width="13" height="125" rx="6"/>"#,
            },
        ],
    },
    View {
        id: "back",
        name: "Back",
        outline: "M40 10 Q30 90 52 170 Q60 210 60 255 Q58 272 58 282 Q62 296 70 296 Q80 296 82 282 Q82 272 80 255 Q80 210 88 170 Q110 90 100 10 Z",
        shapes: &[
            Shape {
                region: Region::Popliteal,
                svg: r#"<ellipse cx="70" cy="24" rx="24" ry="11"/>"#,
            },
            Shape {
                region: Region::CalfUpperMedial,
                svg: r#"<ellipse cx="55" cy="80" rx="13" ry="34"/>"#,
            },
            Shape {
                region: Region::CalfUpper,
                svg: r#"<ellipse cx="85" cy="72" rx="13" ry="30"/>"#,
            },
            Shape {
                region: Region::CalfMid,
                svg: r#"<rect x="50" y="118" width="40" height="42" rx="12"/>"#,
            },
            Shape {
                region: Region::CalfLower,
                svg: r#"<rect x="56" y="166" width="28" height="40" rx="10"/>"#,
            },
            Shape {
                region: Region::AchillesMid,
                svg: r#"<rect x="63" y="212" width="14" height="40" rx="5"/>"#,
            },
            Shape {
                region: Region::AchillesInsertion,
                svg: r#"<rect x="61" y="258" width="18" height="22" rx="6"/>"#,
            },
        ],
    },
    View {
        id: "inside",
        name: "Inside",
        outline: SIDE_OUTLINE,
        shapes: &[
            Shape {
                region: Region::TibiaPmDistal,
                svg: r#"<path d="M52 120 L62 120 L66 240 L58 240 Z"/>"#,
            },
            Shape {
                region: Region::CalfUpperMedial,
                svg: r#"<ellipse cx="92" cy="80" rx="13" ry="34"/>"#,
            },
            Shape {
                region: Region::AchillesMid,
                svg: r#"<rect x="76" y="210" width="12" height="40" rx="5"/>"#,
            },
            Shape {
                region: Region::AchillesInsertion,
                svg: r#"<rect x="80" y="256" width="14" height="20" rx="6"/>"#,
            },
            Shape {
                region: Region::HeelPlantar,
                svg: r#"<rect x="60" y="284" width="30" height="10" rx="5"/>"#,
            },
        ],
    },
    View {
        id: "outside",
        name: "Outside",
        outline: SIDE_OUTLINE,
        shapes: &[
            Shape {
                region: Region::LegAnterolateral,
                svg: r#"<path d="M46 40 L60 40 L66 225 L54 225 Z"/>"#,
            },
            Shape {
                region: Region::CalfUpper,
                svg: r#"<ellipse cx="94" cy="74" rx="12" ry="30"/>"#,
            },
            Shape {
                region: Region::CalfMid,
                svg: r#"<rect x="72" y="118" width="30" height="42" rx="12"/>"#,
            },
            Shape {
                region: Region::CalfLower,
                svg: r#"<rect x="72" y="166" width="22" height="40" rx="10"/>"#,
            },
            Shape {
                region: Region::AchillesInsertion,
                svg: r#"<rect x="80" y="256" width="14" height="20" rx="6"/>"#,
            },
        ],
    },
    View {
        id: "sole",
        name: "Sole",
        outline: "M50 20 Q30 40 36 120 Q40 190 50 250 Q56 292 72 292 Q90 292 92 250 Q96 190 100 120 Q108 30 84 16 Q66 8 50 20 Z",
        shapes: &[Shape {
            region: Region::HeelPlantar,
            svg: r#"<ellipse cx="72" cy="250" rx="17" ry="24"/>"#,
        }],
    },
];

/// Regions with no single spot on the leg: shown as labelled buttons beside the views.
const ELSEWHERE: &[(Region, &str)] = &[
    (Region::LegDiffuse, "Whole calf or leg"),
    (Region::BackRadiating, "Low back or buttock"),
];

/// Every view's region codes, to check that the map covers every region of §0.
#[cfg(test)]
fn mapped() -> Vec<Region> {
    let mut out: Vec<Region> = VIEWS
        .iter()
        .flat_map(|v| v.shapes.iter().map(|s| s.region))
        .chain(ELSEWHERE.iter().map(|(r, _)| *r))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn code(r: Region) -> &'static str {
    Region::ALL
        .iter()
        .zip(Region::CODES)
        .find(|(x, _)| **x == r)
        .map_or("", |(_, c)| c)
}

/// The body map: one figure per view, each region a shape with `data-region` (the script
/// toggles the checkbox of the same value) and a title. Without the script the checkboxes
/// listed with the map do the same.
pub fn body_map(chosen: &[String]) -> String {
    let mut s = String::new();
    let class = |r: Region| {
        if chosen.iter().any(|c| c == code(r)) {
            "region chosen"
        } else {
            "region"
        }
    };
    for v in VIEWS {
        let _ = write!(
            s,
            r#"<figure class="view"><svg class="bodymap" viewBox="0 0 140 300" role="group" aria-labelledby="map-{id}-t" xmlns="http://www.w3.org/2000/svg"><title id="map-{id}-t">{name} of the lower leg and foot</title><path class="outline" d="{outline}"/>"#,
            id = v.id,
            name = v.name,
            outline = v.outline
        );
        for sh in v.shapes {
            // The shape's own element carries the region, so its title names it.
            let (tag, rest) = sh
                .svg
                .trim_start_matches('<')
                .split_once(' ')
                .unwrap_or(("g", ""));
            let rest = rest.trim_end_matches("/>");
            let _ = write!(
                s,
                r#"<{tag} class="{}" data-region="{}" {rest}><title>{}</title></{tag}>"#,
                class(sh.region),
                code(sh.region),
                sh.region.name()
            );
        }
        let _ = write!(s, "</svg><figcaption>{}</figcaption></figure>", v.name);
    }
    s.push_str(r#"<figure class="view elsewhere"><svg class="bodymap" viewBox="0 0 160 140" role="group" aria-labelledby="map-else-t" xmlns="http://www.w3.org/2000/svg"><title id="map-else-t">Pain that is not in one spot</title>"#);
    for (i, (r, label)) in ELSEWHERE.iter().enumerate() {
        let y = 8 + i * 66;
        let _ = write!(
            s,
            r#"<g class="{}" data-region="{}"><title>{}</title><rect x="4" y="{y}" width="152" height="56" rx="12"/><text x="80" y="{}" text-anchor="middle">{label}</text></g>"#,
            class(*r),
            code(*r),
            r.name(),
            y + 33
        );
    }
    s.push_str("</svg><figcaption>Elsewhere</figcaption></figure>");
    s
}

/// The start of a drawing: an image with a title and a description.
fn open(s: &mut String, id: &str, w: u32, h: u32, title: &str, desc: &str) {
    let _ = write!(
        s,
        r#"<svg class="drawing" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"#
    );
}

/// A drawing of how to do a home test (knowledge base §0), or `None` for a code without one.
pub fn home_test(code: &str) -> Option<String> {
    let (title, desc, body) = match code {
        "SLHR_STRAIGHT" => (
            "Heel raise, knee straight",
            "A person stands on one leg with a hand on a wall, knee straight, up on the toes; the calf's upper muscle, the gastrocnemius, is marked.",
            concat!(
                r#"<line class="ground" x1="10" y1="150" x2="150" y2="150"/><line class="ground" x1="130" y1="10" x2="130" y2="150"/>"#,
                r#"<circle class="ink" cx="70" cy="20" r="9"/><line class="ink" x1="70" y1="29" x2="72" y2="75"/><line class="ink" x1="71" y1="42" x2="128" y2="50"/>"#,
                r#"<line class="ink" x1="72" y1="75" x2="74" y2="112"/><line class="ink" x1="74" y1="112" x2="76" y2="138"/><line class="ink" x1="76" y1="138" x2="88" y2="148"/>"#,
                r#"<ellipse class="muscle" cx="80" cy="120" rx="5" ry="10"/><path class="accent" d="M100 140 v-22 m-5 6 l5 -6 l5 6"/>"#
            ),
        ),
        "SLHR_BENT" => (
            "Heel raise, knee bent",
            "The same heel raise with the knee held bent about 30 to 45 degrees, which shifts the work to the deeper soleus, marked.",
            concat!(
                r#"<line class="ground" x1="10" y1="150" x2="150" y2="150"/><line class="ground" x1="130" y1="10" x2="130" y2="150"/>"#,
                r#"<circle class="ink" cx="62" cy="26" r="9"/><line class="ink" x1="62" y1="35" x2="64" y2="80"/><line class="ink" x1="63" y1="48" x2="128" y2="56"/>"#,
                r#"<line class="ink" x1="64" y1="80" x2="88" y2="108"/><line class="ink" x1="88" y1="108" x2="78" y2="138"/><line class="ink" x1="78" y1="138" x2="90" y2="148"/>"#,
                r#"<ellipse class="muscle" cx="84" cy="126" rx="4" ry="9"/><path class="accent" d="M104 140 v-22 m-5 6 l5 -6 l5 6"/>"#
            ),
        ),
        "HOP_10" => (
            "Ten hops on one leg",
            "A person hops gently in place on one leg, holding a support; arcs show the small hops.",
            concat!(
                r#"<line class="ground" x1="10" y1="150" x2="150" y2="150"/><line class="ground" x1="120" y1="20" x2="120" y2="150"/>"#,
                r#"<circle class="ink" cx="70" cy="18" r="9"/><line class="ink" x1="70" y1="27" x2="70" y2="75"/><line class="ink" x1="70" y1="40" x2="118" y2="55"/>"#,
                r#"<line class="ink" x1="70" y1="75" x2="72" y2="130"/><line class="ink" x1="70" y1="75" x2="56" y2="100"/><line class="ink" x1="56" y1="100" x2="50" y2="118"/>"#,
                r#"<path class="accent" d="M40 146 q10 -14 20 0 q10 -14 20 0 q10 -14 20 0"/>"#
            ),
        ),
        "PALP_TIBIA" => (
            "Fingertips along the shin bone",
            "Seen from the front, fingertips walk down the inner edge of the shin bone from knee to ankle; dots mark the path.",
            concat!(
                r#"<path class="ink" d="M55 10 Q48 90 60 140 L56 150 L104 150 L98 140 Q110 90 103 10"/>"#,
                r#"<line class="bone" x1="75" y1="14" x2="78" y2="138"/>"#,
                r#"<circle class="accent-dot" cx="66" cy="40" r="3"/><circle class="accent-dot" cx="66" cy="62" r="3"/><circle class="accent-dot" cx="67" cy="84" r="3"/><circle class="accent-dot" cx="68" cy="106" r="3"/><circle class="accent-dot" cx="70" cy="126" r="3"/>"#,
                r#"<path class="accent" d="M40 40 v80 m-5 -6 l5 6 l5 -6"/>"#
            ),
        ),
        "THOMPSON" => (
            "Calf squeeze by a helper",
            "A person lies face down with the feet over the end of the bed; a helper's hand squeezes the middle of the calf and the foot should point down.",
            concat!(
                r#"<rect class="ground" x="4" y="80" width="110" height="14"/>"#,
                r#"<circle class="ink" cx="14" cy="66" r="9"/><line class="ink" x1="23" y1="70" x2="80" y2="74"/><line class="ink" x1="80" y1="74" x2="128" y2="74"/><line class="ink" x1="128" y1="74" x2="134" y2="96"/>"#,
                r#"<ellipse class="muscle" cx="104" cy="70" rx="14" ry="5"/><path class="ink" d="M92 52 q12 -8 24 0 v8 h-24 z"/>"#,
                r#"<path class="accent" d="M146 76 v22 m-5 -6 l5 6 l5 -6"/>"#
            ),
        ),
        "CALC_SQUEEZE" => (
            "Heel squeeze",
            "Both palms press the two sides of the heel bone; arrows point in from each side.",
            concat!(
                r#"<path class="ink" d="M60 10 L60 90 Q56 130 80 140 Q104 130 100 90 L100 10"/>"#,
                r#"<ellipse class="bone" cx="80" cy="118" rx="14" ry="16"/>"#,
                r#"<path class="accent" d="M28 118 h22 m-6 -5 l6 5 l-6 5 M132 118 h-22 m6 -5 l-6 5 l6 5"/>"#
            ),
        ),
        "WINDLASS" => (
            "Big-toe lift",
            "Standing, a hand lifts the big toe of the sore foot upwards; the band under the foot tightens towards the heel.",
            concat!(
                r#"<line class="ground" x1="6" y1="130" x2="154" y2="130"/>"#,
                r#"<path class="ink" d="M120 20 L118 100 Q122 124 110 128 L40 128 Q28 126 30 118 L60 104 Q80 96 100 96"/>"#,
                r#"<path class="ink" d="M30 118 L16 96"/><path class="muscle" d="M110 126 Q70 118 34 118"/>"#,
                r#"<path class="accent" d="M12 120 l-2 -24 m-4 6 l4 -6 l5 5"/>"#
            ),
        ),
        "CALF_GIRTH" => (
            "Calf girth with a tape",
            "Seated with both feet flat, a soft tape goes around the calf 10 centimetres below the bump under the kneecap; compare both sides.",
            concat!(
                r#"<line class="ground" x1="10" y1="150" x2="150" y2="150"/>"#,
                r#"<path class="ink" d="M50 10 Q40 60 56 100 L58 140 L82 148 L84 140 Q84 100 104 60 Q110 30 100 10"/>"#,
                r#"<ellipse class="accent" cx="76" cy="58" rx="28" ry="6"/><path class="accent" d="M118 20 v38 m-5 -6 l5 6 l5 -6 m-10 -38 l5 -6 l5 6"/>"#,
                r#"<text class="label" x="124" y="44">10 cm</text>"#
            ),
        ),
        _ => return None,
    };
    let mut s = String::new();
    open(
        &mut s,
        &format!("test-{}", code.to_lowercase()),
        160,
        160,
        title,
        desc,
    );
    s.push_str(body);
    s.push_str("</svg>");
    Some(s)
}

/// Which calf muscle an exercise works: the gastrocnemius crosses the knee and works hardest
/// with it straight; the soleus does not cross it, so a bent knee leaves the work to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Muscle {
    /// Knee straight.
    Gastrocnemius,
    /// Knee bent.
    Soleus,
}

/// The muscles an exercise of the library loads, by its id.
pub fn muscles_of(exercise_id: &str) -> &'static [Muscle] {
    match exercise_id {
        "E1" | "E2" => &[Muscle::Gastrocnemius],
        "E3" | "E4" | "SEATED_SOLEUS" => &[Muscle::Soleus],
        "ALFREDSON" | "HSR" | "ISO_HOLD" | "SLHR_TEST" => &[Muscle::Gastrocnemius, Muscle::Soleus],
        _ => &[],
    }
}

/// The calf at work, side and back views side by side: the working muscle filled and named,
/// the other drawn in outline.
pub fn calf_at_work(id: &str, m: Muscle) -> String {
    let (title, desc, knee) = match m {
        Muscle::Gastrocnemius => (
            "Gastrocnemius at work, knee straight",
            "Left, from the side: the leg straight, heel lifted, the gastrocnemius filled from above the knee to the heel. Right, from behind: its two heads filled, the soleus below them in outline.",
            "straight",
        ),
        Muscle::Soleus => (
            "Soleus at work, knee bent",
            "Left, from the side: the knee bent, heel lifted, the soleus filled from below the knee to the heel. Right, from behind: the soleus filled beneath the two gastrocnemius heads, which are in outline.",
            "bent",
        ),
    };
    let (g, so) = match m {
        Muscle::Gastrocnemius => ("working", "resting"),
        Muscle::Soleus => ("resting", "working"),
    };
    let mut s = String::new();
    open(&mut s, id, 440, 220, title, desc);
    // Side view: thigh, shank, foot on the ball with the heel up.
    let (thigh, shank_top) = if knee == "straight" {
        (
            r#"<line class="ink thick" x1="70" y1="8" x2="72" y2="80"/>"#,
            (72, 80),
        )
    } else {
        (
            r#"<line class="ink thick" x1="40" y1="18" x2="78" y2="80"/>"#,
            (78, 80),
        )
    };
    s.push_str(thigh);
    let _ = write!(
        s,
        r#"<line class="ink thick" x1="{}" y1="{}" x2="66" y2="178"/><line class="ink thick" x1="66" y1="178" x2="40" y2="198"/><line class="ground" x1="6" y1="200" x2="150" y2="200"/>"#,
        shank_top.0, shank_top.1
    );
    // Gastrocnemius: from above the knee (on the thigh bone) down the back of the calf.
    let gastro_side = if knee == "straight" {
        "M76 66 Q96 96 88 130 Q80 150 72 160 L70 176 L66 150 Q62 110 74 80 Z"
    } else {
        "M74 62 Q100 92 90 128 Q82 148 72 160 L70 176 L68 150 Q66 110 76 84 Z"
    };
    // Soleus: below the knee (on the shin bones), deeper and lower.
    let soleus_side = "M74 96 Q102 118 94 150 Q88 168 72 178 L68 170 Q64 130 72 98 Z";
    let _ = write!(
        s,
        r#"<path class="{so}" d="{soleus_side}"/><path class="{g}" d="{gastro_side}"/><path class="accent" d="M30 192 v-20 m-5 6 l5 -6 l5 6"/>"#
    );
    let _ = write!(
        s,
        r#"<text class="label" x="96" y="40">knee {knee}</text><text class="label" x="6" y="216">from the side</text>"#
    );
    // Back view: two gastrocnemius heads above, the soleus beneath and beside them.
    s.push_str(r#"<path class="ink" d="M210 10 Q196 100 222 170 L224 196 L244 196 L246 170 Q272 100 258 10"/>"#);
    let _ = write!(
        s,
        r#"<path class="{so}" d="M214 96 Q212 140 226 176 L242 176 Q256 140 254 96 Q234 112 214 96 Z"/><ellipse class="{g}" cx="222" cy="70" rx="12" ry="36"/><ellipse class="{g}" cx="246" cy="66" rx="11" ry="32"/><rect class="ink-fill" x="229" y="176" width="10" height="20"/>"#
    );
    let _ = write!(
        s,
        r#"<text class="label" x="180" y="216">from behind</text><text class="label" x="282" y="64">{}</text><text class="label" x="282" y="146">{}</text>"#,
        if g == "working" {
            "gastrocnemius: working"
        } else {
            "gastrocnemius"
        },
        if so == "working" {
            "soleus: working"
        } else {
            "soleus"
        }
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_covers_every_region_and_each_shape_has_a_title() {
        assert_eq!(mapped(), Region::ALL.to_vec());
        let svg = body_map(&["CALF_MID".into()]);
        for c in Region::CODES {
            assert!(svg.contains(&format!(r#"data-region="{c}""#)), "{c}");
        }
        // Every element that carries a region opens with its title.
        for chunk in svg.split("data-region=").skip(1) {
            let (_, after) = chunk.split_once('>').unwrap();
            assert!(after.starts_with("<title>"), "{chunk}");
        }
        assert!(svg.contains(r#"class="region chosen" data-region="CALF_MID""#));
        assert_eq!(svg.matches("<figure").count(), VIEWS.len() + 1);
    }

    #[test]
    fn every_home_test_has_a_drawing_with_a_title_and_description() {
        for code in [
            "SLHR_STRAIGHT",
            "SLHR_BENT",
            "HOP_10",
            "PALP_TIBIA",
            "THOMPSON",
            "CALC_SQUEEZE",
            "WINDLASS",
            "CALF_GIRTH",
        ] {
            let svg = home_test(code).unwrap();
            assert!(svg.contains("<title") && svg.contains("<desc"), "{code}");
        }
        assert!(home_test("NOPE").is_none());
    }

    #[test]
    fn the_working_muscle_is_named_in_both_views() {
        let g = calf_at_work("g", Muscle::Gastrocnemius);
        assert!(g.contains("gastrocnemius: working") && g.contains("knee straight"));
        let s = calf_at_work("s", Muscle::Soleus);
        assert!(s.contains("soleus: working") && s.contains("knee bent"));
        assert!(!s.contains("gastrocnemius: working"));
    }
}
