//! Names for the FIT profile's numbers that Soleus shows: file types, sports, manufacturers and
//! a handful of well-known Garmin products. Numbers are those of the FIT SDK profile
//! (`Profile.xlsx`, Types sheet: `file`, `sport`, `sub_sport`, `manufacturer`,
//! `garmin_product`).

use soleus_model::Sport;

use super::collect::Creator;

/// What a non-activity FIT file is, for the "skipped" message.
pub(super) fn file_type(t: u8) -> String {
    let what = match t {
        1 => "device",
        2 => "settings",
        3 => "sport settings",
        5 => "workout",
        6 => "course",
        7 => "schedules",
        9 => "weight",
        10 => "totals",
        11 => "goals",
        14 => "blood pressure",
        15 | 32 => "monitoring",
        20 => "activity summary",
        28 => "daily monitoring",
        34 => "segment",
        35 => "segment list",
        40 => "data field configuration",
        247..=254 => "manufacturer-specific",
        _ => return format!("a FIT file of type {t} (not an activity)"),
    };
    format!("a FIT {what} file")
}

/// The profile's word for a sport.
fn sport_word(s: u8) -> Option<&'static str> {
    Some(match s {
        0 => "generic",
        1 => "running",
        2 => "cycling",
        3 => "transition",
        4 => "fitness_equipment",
        5 => "swimming",
        10 => "training",
        11 => "walking",
        12 => "cross_country_skiing",
        13 => "alpine_skiing",
        15 => "rowing",
        16 => "mountaineering",
        17 => "hiking",
        18 => "multisport",
        19 => "paddling",
        21 => "e_biking",
        30 => "inline_skating",
        31 => "rock_climbing",
        35 => "snowshoeing",
        41 => "kayaking",
        53 => "diving",
        _ => return None,
    })
}

/// The profile's word for a sub-sport.
fn sub_sport_word(s: u8) -> Option<&'static str> {
    Some(match s {
        0 => "generic",
        1 => "treadmill",
        2 => "street",
        3 => "trail",
        4 => "track",
        5 => "spin",
        6 => "indoor_cycling",
        7 => "road",
        8 => "mountain",
        9 => "downhill",
        11 => "cyclocross",
        13 => "track_cycling",
        14 => "indoor_rowing",
        15 => "elliptical",
        17 => "lap_swimming",
        18 => "open_water",
        20 => "strength_training",
        26 => "cardio_training",
        27 => "indoor_walking",
        28 => "e_bike_fitness",
        30 => "casual_walking",
        31 => "speed_walking",
        45 => "indoor_running",
        46 => "gravel_cycling",
        47 => "e_bike_mountain",
        48 => "commuting",
        49 => "mixed_surface",
        58 => "virtual_activity",
        59 => "obstacle",
        67 => "ultra",
        _ => return None,
    })
}

/// Maps FIT sport and sub-sport to a [`Sport`] and the words shown as its detail
/// ("running/trail"; numbers when the profile word is not in Soleus's table).
pub(super) fn sport(sport: Option<u8>, sub: Option<u8>) -> (Sport, Option<String>) {
    let mapped = match (sport, sub) {
        (Some(1), Some(3)) => Sport::TrailRun,
        (Some(1), Some(1 | 45 | 58)) => Sport::Treadmill,
        (Some(1), Some(4)) => Sport::Track,
        (Some(1), _) => Sport::Run,
        (Some(11), _) => Sport::Walk,
        (Some(17), _) => Sport::Hike,
        (Some(2 | 21), _) => Sport::Ride,
        (Some(5), _) => Sport::Swim,
        _ => Sport::Other,
    };
    let word = |w: Option<&'static str>, n: u8| w.map_or_else(|| n.to_string(), str::to_owned);
    let detail = sport.map(|s| {
        let mut d = word(sport_word(s), s);
        if let Some(sub) = sub.filter(|s| *s != 0) {
            d.push('/');
            d.push_str(&word(sub_sport_word(sub), sub));
        }
        d
    });
    (mapped, detail)
}

/// A manufacturer's display name.
fn manufacturer(m: u16) -> Option<&'static str> {
    Some(match m {
        1 | 2 | 13 | 15 => "Garmin", // garmin, garmin_fr405_antfs, dynastream(_oem): Garmin's ANT+ arm
        6 => "SRM",
        23 => "Suunto",
        32 => "Wahoo",
        37 => "Magellan",
        38 => "o-synce",
        54 => "IpBike",
        70 => "Sigma",
        71 => "TomTom",
        76 => "Moxy",
        87 => "Nielsen-Kellerman",
        89 => "Tacx",
        95 => "Stryd",
        123 => "Polar",
        255 => "Development",
        258 => "Lezyne",
        260 => "Zwift",
        265 => "Strava",
        267 => "Bryton",
        289 => "Hammerhead",
        294 => "Coros",
        307 => "Onelap",
        _ => return None,
    })
}

/// Display names of well-known Garmin products (`garmin_product`).
fn garmin_product(p: u16) -> Option<&'static str> {
    Some(match p {
        1 => "HRM1",
        717 => "Forerunner 405",
        1018 => "Forerunner 310XT",
        1036 => "Edge 500",
        1124 => "Forerunner 110",
        1169 => "Edge 800",
        1325 => "Edge 200",
        1328 => "Forerunner 910XT",
        1436 => "Forerunner 70",
        1482 => "Forerunner 10",
        1499 => "Swim",
        1561 => "Edge 510",
        1567 => "Edge 810",
        1623 => "Forerunner 620",
        1765 => "Forerunner 920XT",
        1836 => "Edge 1000",
        1967 => "fenix 2",
        2050 => "fenix 3",
        2067 => "Edge 520",
        2158 => "Forerunner 735XT",
        2337 => "vivoactive HR",
        2348 => "vivosmart HR",
        2431 => "Forerunner 235",
        2512 => "Oregon 7xx",
        2530 => "Edge 820",
        2604 => "fenix 5X",
        2691 => "Forerunner 935",
        2697 => "fenix 5",
        2713 => "Edge 1030",
        3076 => "Forerunner 245",
        3110 => "fenix 5 Plus",
        3113 => "Forerunner 945",
        3121 => "Edge 530",
        3122 => "Edge 830",
        3258 => "Descent Mk2",
        3290 => "fenix 6",
        3570 => "Edge 1030 Plus",
        3589 => "Forerunner 745",
        3843 => "Edge 1040",
        3869 => "Forerunner 55",
        3992 => "Forerunner 255",
        4024 => "Forerunner 955",
        4260 => "Venu 3",
        4315 => "Forerunner 965",
        _ => return None,
    })
}

/// The device string shown for an activity ("Garmin Forerunner 935", "Suunto 34").
pub(super) fn device(file: &Creator, creator_device: &Creator) -> Option<String> {
    let m = file.manufacturer.or(creator_device.manufacturer);
    let name = file
        .product_name
        .clone()
        .or_else(|| creator_device.product_name.clone());
    let product = file.product.or(creator_device.product);
    // Apple Watch apps write manufacturer `development` with the model as product name.
    if m == Some(255) && name.as_deref().is_some_and(|n| n.starts_with("Watch")) {
        return Some(format!("Apple {}", name.unwrap_or_default()));
    }
    let maker = m.map(|m| manufacturer(m).map_or_else(|| format!("manufacturer {m}"), Into::into));
    let garmin = matches!(m, Some(1 | 2 | 13 | 15));
    let model = name.or_else(|| {
        let p = product?;
        Some(
            garmin
                .then(|| garmin_product(p))
                .flatten()
                .map_or_else(|| p.to_string(), Into::into),
        )
    });
    match (maker, model) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (Some(a), None) => Some(a),
        // A bare product number means nothing without its maker.
        (None, _) => file
            .product_name
            .clone()
            .or_else(|| creator_device.product_name.clone()),
    }
}

/// A FIT string: bytes up to the first NUL, as UTF-8 (lossy), trimmed; `None` when empty.
pub(super) fn text(b: &[u8]) -> Option<String> {
    let b = b.split(|c| *c == 0).next().unwrap_or_default();
    let s = String::from_utf8_lossy(b).trim().to_owned();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sports_map_with_their_words() {
        assert_eq!(
            sport(Some(1), Some(3)),
            (Sport::TrailRun, Some("running/trail".into()))
        );
        assert_eq!(sport(Some(1), Some(45)).0, Sport::Treadmill);
        assert_eq!(
            sport(Some(1), Some(0)),
            (Sport::Run, Some("running".into()))
        );
        assert_eq!(sport(Some(21), None).0, Sport::Ride);
        assert_eq!(sport(Some(5), Some(17)).0, Sport::Swim);
        assert_eq!(
            sport(Some(200), Some(201)),
            (Sport::Other, Some("200/201".into()))
        );
        assert_eq!(sport(None, None), (Sport::Other, None));
    }

    #[test]
    fn device_strings() {
        let c = |m, p, n: Option<&str>| Creator {
            manufacturer: m,
            product: p,
            product_name: n.map(Into::into),
        };
        let none = Creator::default();
        assert_eq!(
            device(&c(Some(1), Some(2691), None), &none).as_deref(),
            Some("Garmin Forerunner 935")
        );
        assert_eq!(
            device(&c(Some(23), Some(34), None), &none).as_deref(),
            Some("Suunto 34")
        );
        assert_eq!(
            device(
                &c(Some(294), Some(9), None),
                &c(None, None, Some("COROS PACE 2"))
            )
            .as_deref(),
            Some("Coros COROS PACE 2")
        );
        assert_eq!(
            device(&c(Some(255), None, Some("Watch6,18")), &none).as_deref(),
            Some("Apple Watch6,18")
        );
        assert_eq!(device(&none, &none), None);
        assert_eq!(text(b"ab\0cd"), Some("ab".into()));
        assert_eq!(text(b"\0"), None);
    }
}
