//! The organizer's auto-scheduler: from the pairs who asked to meet ("must meet" or "would
//! like to"), a conflict-free grid of one-to-one meetings at tables, as many must-meet pairs
//! as it can, then as many would-like pairs, breaks kept free, and for each pair it could not
//! place the reason.
//!
//! A person's free slots are a bit set, so "the slots both are free and a table is left" is
//! one `&`. Pairs are placed most constrained first (must before would-like, then the pair
//! with the fewest common free slots), each into the common slot with the most tables left
//! (so early slots do not run out of tables first). A must-meet pair left over may then take
//! a slot from would-like meetings of its two people, which are placed again elsewhere if
//! they fit: one must-meet pair counts for more than any number of would-like ones.

/// The most slots a grid can have (a day of 10-minute slots fits twice over).
pub const MAX_SLOTS: usize = 128;

type Slots = u128;

/// What the scheduler is given. People are numbered `0..people` (hosts and guests alike),
/// slots `0..slots` in time order, tables `0..tables`.
#[derive(Clone, Debug, Default)]
pub struct Instance {
    pub slots: usize,
    /// Slots in which nobody meets (lunch, the keynote).
    pub breaks: Vec<usize>,
    pub tables: usize,
    pub people: usize,
    /// `(person, slot)` already taken: a meeting accepted before, or time they are away.
    pub busy: Vec<(usize, usize)>,
    /// `(slot, table)` already taken by a meeting accepted before.
    pub tables_busy: Vec<(usize, usize)>,
    pub wishes: Vec<Wish>,
}

/// Two people who asked to meet: `must` when either side said "must meet".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Wish {
    pub a: usize,
    pub b: usize,
    pub must: bool,
}

/// A meeting in the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub wish: Wish,
    pub slot: usize,
    pub table: usize,
}

/// Why a pair is not in the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// The two are never free at the same time (breaks and earlier commitments).
    NoCommonSlot,
    /// Every slot the two had in common went to other meetings of one or the other.
    Taken,
    /// They have common free slots, but every table is taken in each of them.
    NoTable,
}

#[derive(Clone, Debug, Default)]
pub struct Schedule {
    pub meetings: Vec<Meeting>,
    pub unplaced: Vec<(Wish, Why)>,
}

impl Schedule {
    pub fn placed_must(&self) -> usize {
        self.meetings.iter().filter(|m| m.wish.must).count()
    }
}

/// Why an instance cannot be scheduled at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadInstance {
    #[error("a grid has at most {MAX_SLOTS} slots, not {0}")]
    TooManySlots(usize),
    #[error("slot {0} is outside the grid")]
    NoSuchSlot(usize),
    #[error("person {0} is not among the participants")]
    NoSuchPerson(usize),
    #[error("person {0} cannot meet themselves")]
    SamePerson(usize),
    #[error("table {0} is not among the tables")]
    NoSuchTable(usize),
}

/// The grid as it fills: who is free when, how many tables each slot has left, and which
/// meeting holds a person's slot.
struct Grid {
    open: Slots,
    free: Vec<Slots>,
    tables_left: Vec<usize>,
    /// Per slot, which tables are taken.
    tables_taken: Vec<Vec<bool>>,
    /// `holder[person * slots + slot]`: the index into `meetings` holding that slot.
    holder: Vec<Option<usize>>,
    slots: usize,
    meetings: Vec<Option<Meeting>>,
}

impl Grid {
    /// The common free slot with the most tables left.
    fn best_slot(&self, wish: Wish) -> Option<usize> {
        let common = self.free[wish.a] & self.free[wish.b] & self.open;
        slots_of(common).filter(|&s| self.tables_left[s] > 0).max_by_key(|&s| (self.tables_left[s], usize::MAX - s))
    }

    fn place(&mut self, wish: Wish, slot: usize) -> usize {
        let table = self.tables_taken[slot].iter().position(|taken| !taken).expect("a table left in the slot");
        self.tables_taken[slot][table] = true;
        self.tables_left[slot] -= 1;
        self.free[wish.a] &= !(1 << slot);
        self.free[wish.b] &= !(1 << slot);
        let index = self.meetings.len();
        self.meetings.push(Some(Meeting { wish, slot, table }));
        self.holder[wish.a * self.slots + slot] = Some(index);
        self.holder[wish.b * self.slots + slot] = Some(index);
        index
    }

    fn remove(&mut self, index: usize) -> Wish {
        let meeting = self.meetings[index].take().expect("a meeting still in the grid");
        let slot = meeting.slot;
        self.tables_taken[slot][meeting.table] = false;
        self.tables_left[slot] += 1;
        for person in [meeting.wish.a, meeting.wish.b] {
            self.free[person] |= 1 << slot;
            self.holder[person * self.slots + slot] = None;
        }
        meeting.wish
    }

    fn why(&self, wish: Wish, at_start: &[Slots]) -> Why {
        if at_start[wish.a] & at_start[wish.b] & self.open == 0 {
            Why::NoCommonSlot
        } else if self.free[wish.a] & self.free[wish.b] & self.open == 0 {
            Why::Taken
        } else {
            Why::NoTable
        }
    }

    /// Places a must-meet pair by moving would-like meetings of its two people out of one of
    /// their common slots; those go elsewhere if they fit, else back to `left`.
    fn make_room(&mut self, wish: Wish, at_start: &[Slots], left: &mut Vec<Wish>) -> bool {
        let common = at_start[wish.a] & at_start[wish.b] & self.open;
        let candidates = slots_of(common).filter_map(|slot| {
            let held: Vec<usize> = [wish.a, wish.b]
                .iter()
                .filter_map(|&p| self.holder[p * self.slots + slot])
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let movable = held.iter().all(|&i| self.meetings[i].is_some_and(|m| !m.wish.must));
            let table = self.tables_left[slot] > 0 || !held.is_empty();
            (movable && table).then_some((held.len(), slot, held))
        });
        let Some((_, slot, held)) = candidates.min_by_key(|(moved, slot, _)| (*moved, *slot)) else {
            return false;
        };
        let moved: Vec<Wish> = held.into_iter().map(|i| self.remove(i)).collect();
        self.place(wish, slot);
        for other in moved {
            match self.best_slot(other) {
                Some(slot) => {
                    self.place(other, slot);
                }
                None => left.push(other),
            }
        }
        true
    }
}

fn slots_of(set: Slots) -> impl Iterator<Item = usize> {
    (0..MAX_SLOTS).filter(move |&s| set & (1 << s) != 0)
}

/// Checks the instance and schedules it.
pub fn schedule(instance: &Instance) -> Result<Schedule, BadInstance> {
    let slots = instance.slots;
    if slots > MAX_SLOTS {
        return Err(BadInstance::TooManySlots(slots));
    }
    let all: Slots = if slots == MAX_SLOTS { Slots::MAX } else { (1 << slots) - 1 };
    let mut open = all;
    for &slot in &instance.breaks {
        if slot >= slots {
            return Err(BadInstance::NoSuchSlot(slot));
        }
        open &= !(1 << slot);
    }
    let mut at_start = vec![open; instance.people];
    for &(person, slot) in &instance.busy {
        if slot >= slots {
            return Err(BadInstance::NoSuchSlot(slot));
        }
        *at_start.get_mut(person).ok_or(BadInstance::NoSuchPerson(person))? &= !(1 << slot);
    }
    for wish in &instance.wishes {
        for person in [wish.a, wish.b] {
            if person >= instance.people {
                return Err(BadInstance::NoSuchPerson(person));
            }
        }
        if wish.a == wish.b {
            return Err(BadInstance::SamePerson(wish.a));
        }
    }

    let mut grid = Grid {
        open,
        free: at_start.clone(),
        tables_left: vec![instance.tables; slots],
        tables_taken: vec![vec![false; instance.tables]; slots],
        holder: vec![None; instance.people * slots],
        slots,
        meetings: Vec::with_capacity(instance.wishes.len()),
    };
    for &(slot, table) in &instance.tables_busy {
        if slot >= slots {
            return Err(BadInstance::NoSuchSlot(slot));
        }
        if table >= instance.tables {
            return Err(BadInstance::NoSuchTable(table));
        }
        if !grid.tables_taken[slot][table] {
            grid.tables_taken[slot][table] = true;
            grid.tables_left[slot] -= 1;
        }
    }
    let mut order: Vec<Wish> = instance.wishes.clone();
    order.sort_by_cached_key(|w| (!w.must, (at_start[w.a] & at_start[w.b] & open).count_ones()));

    let mut left = Vec::new();
    for wish in order {
        match grid.best_slot(wish) {
            Some(slot) => {
                grid.place(wish, slot);
            }
            None => left.push(wish),
        }
    }
    // Must-meet pairs left over may move would-like meetings; the would-like ones that then
    // find no slot join the left-over list.
    let (musts, mut rest): (Vec<Wish>, Vec<Wish>) = left.into_iter().partition(|w| w.must);
    let mut still = Vec::new();
    for wish in musts {
        if !grid.make_room(wish, &at_start, &mut rest) {
            still.push(wish);
        }
    }
    // A would-like pair moved out may fit where an earlier one did not.
    for wish in std::mem::take(&mut rest) {
        match grid.best_slot(wish) {
            Some(slot) => {
                grid.place(wish, slot);
            }
            None => still.push(wish),
        }
    }
    let unplaced = still.into_iter().map(|w| (w, grid.why(w, &at_start))).collect();
    let meetings = grid.meetings.into_iter().flatten().collect();
    Ok(Schedule { meetings, unplaced })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// A small deterministic generator (xorshift), so the instances are the same each run.
    struct Random(u64);
    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Hosts `0..hosts`, guests after them; each guest asks for a few hosts, popular hosts
    /// more often (a few counties everyone wants), a third of the asks "must meet".
    fn generated(seed: u64, slots: usize, tables: usize, hosts: usize, guests: usize, asks: usize) -> Instance {
        let mut random = Random(seed);
        let mut wishes = HashSet::new();
        for guest in hosts..hosts + guests {
            for _ in 0..asks {
                let host = if random.below(3) == 0 { random.below(hosts.div_ceil(10)) } else { random.below(hosts) };
                let must = random.below(3) == 0;
                if !wishes.iter().any(|w: &Wish| w.a == host && w.b == guest) {
                    wishes.insert(Wish { a: host, b: guest, must });
                }
            }
        }
        let mut wishes: Vec<Wish> = wishes.into_iter().collect();
        wishes.sort_by_key(|w| (w.a, w.b));
        let people = hosts + guests;
        let busy = (0..people / 20).map(|_| (random.below(people), random.below(slots))).collect();
        // Earlier meetings hold a table in each slot.
        let tables_busy = (0..slots).map(|slot| (slot, random.below(tables))).collect();
        Instance { slots, breaks: vec![slots / 2], tables, people, busy, tables_busy, wishes }
    }

    /// Written apart from the scheduler: every rule of the grid, checked on the output alone.
    fn verify(instance: &Instance, schedule: &Schedule) {
        let breaks: HashSet<usize> = instance.breaks.iter().copied().collect();
        let busy: HashSet<(usize, usize)> = instance.busy.iter().copied().collect();
        let mut people_at = HashSet::new();
        let mut tables_at: HashSet<(usize, usize)> = instance.tables_busy.iter().map(|&(s, t)| (t, s)).collect();
        let mut seen: HashMap<Wish, usize> = HashMap::new();
        for m in &schedule.meetings {
            assert!(m.slot < instance.slots && m.table < instance.tables, "{m:?} outside the grid");
            assert!(!breaks.contains(&m.slot), "{m:?} in a break");
            for person in [m.wish.a, m.wish.b] {
                assert!(!busy.contains(&(person, m.slot)), "{m:?}: {person} is busy then");
                assert!(people_at.insert((person, m.slot)), "{person} twice in slot {}", m.slot);
            }
            assert!(tables_at.insert((m.table, m.slot)), "table {} twice in slot {}", m.table, m.slot);
            *seen.entry(m.wish).or_default() += 1;
        }
        for (wish, why) in &schedule.unplaced {
            *seen.entry(*wish).or_default() += 1;
            let free = |p: usize, s: usize| !breaks.contains(&s) && !busy.contains(&(p, s));
            let common: Vec<usize> = (0..instance.slots).filter(|&s| free(wish.a, s) && free(wish.b, s)).collect();
            match why {
                Why::NoCommonSlot => assert!(common.is_empty(), "{wish:?} had common slots {common:?}"),
                Why::Taken | Why::NoTable => {
                    assert!(!common.is_empty(), "{wish:?}: {why:?} but never free together");
                    // Nothing was left undone: where both are still free, no table is left.
                    let both_free: Vec<usize> = common
                        .into_iter()
                        .filter(|&s| !people_at.contains(&(wish.a, s)) && !people_at.contains(&(wish.b, s)))
                        .collect();
                    for &s in &both_free {
                        let table = (0..instance.tables).any(|t| !tables_at.contains(&(t, s)));
                        assert!(!table, "{wish:?} fits in slot {s} but is unplaced ({why:?})");
                    }
                    assert_eq!(both_free.is_empty(), *why == Why::Taken, "{wish:?}: {why:?}");
                }
            }
        }
        for wish in &instance.wishes {
            assert_eq!(seen.get(wish), Some(&1), "{wish:?} placed or explained exactly once");
        }
        assert_eq!(seen.len(), instance.wishes.len());
    }

    #[test]
    fn a_generated_programme_keeps_every_rule() {
        for seed in 1..=5 {
            let instance = generated(seed, 16, 12, 40, 240, 4);
            let schedule = schedule(&instance).unwrap();
            verify(&instance, &schedule);
            assert!(!schedule.meetings.is_empty());
        }
    }

    #[test]
    fn tables_run_short_and_say_so() {
        // Ten hosts, forty guests each wanting one of them, two tables, two slots: four
        // meetings fit, the rest are short of tables.
        let wishes = (0..40).map(|g| Wish { a: g % 10, b: 10 + g, must: true }).collect();
        let instance =
            Instance { slots: 2, breaks: vec![], tables: 2, people: 50, busy: vec![], tables_busy: vec![], wishes };
        let schedule = schedule(&instance).unwrap();
        verify(&instance, &schedule);
        assert_eq!(schedule.meetings.len(), 4);
        assert!(schedule.unplaced.iter().all(|(_, why)| *why == Why::NoTable), "{:?}", schedule.unplaced);
    }

    #[test]
    fn a_must_meet_pair_takes_a_would_like_slot() {
        // Person 0 is free only in slot 1, where a would-like meeting with 2 sat first (it
        // has fewer common slots, so it went first); the must-meet pair 0–1 moves it to slot 0.
        let instance = Instance {
            slots: 2,
            breaks: vec![],
            tables: 1,
            people: 3,
            busy: vec![(1, 0)],
            wishes: vec![Wish { a: 0, b: 2, must: false }, Wish { a: 0, b: 1, must: true }],
            ..Instance::default()
        };
        let schedule = schedule(&instance).unwrap();
        verify(&instance, &schedule);
        assert_eq!(schedule.placed_must(), 1);
        assert_eq!(schedule.meetings.len(), 2);
    }

    #[test]
    fn breaks_and_absences_explain_a_pair_that_never_meets() {
        let instance = Instance {
            slots: 3,
            breaks: vec![1],
            tables: 5,
            people: 2,
            busy: vec![(0, 0), (1, 2)],
            wishes: vec![Wish { a: 0, b: 1, must: true }],
            ..Instance::default()
        };
        let schedule = schedule(&instance).unwrap();
        verify(&instance, &schedule);
        assert_eq!(schedule.unplaced, vec![(Wish { a: 0, b: 1, must: true }, Why::NoCommonSlot)]);
    }

    #[test]
    fn bad_instances_are_named() {
        let base = Instance { slots: 4, tables: 1, people: 2, ..Instance::default() };
        let slots = Instance { slots: 200, ..base.clone() };
        assert_eq!(schedule(&slots).unwrap_err(), BadInstance::TooManySlots(200));
        let pause = Instance { breaks: vec![9], ..base.clone() };
        assert_eq!(schedule(&pause).unwrap_err(), BadInstance::NoSuchSlot(9));
        let stranger = Instance { wishes: vec![Wish { a: 0, b: 7, must: false }], ..base.clone() };
        assert_eq!(schedule(&stranger).unwrap_err(), BadInstance::NoSuchPerson(7));
        let alone = Instance { wishes: vec![Wish { a: 1, b: 1, must: true }], ..base.clone() };
        assert_eq!(schedule(&alone).unwrap_err(), BadInstance::SamePerson(1));
        let no_table = Instance { tables_busy: vec![(0, 1)], ..base };
        assert_eq!(schedule(&no_table).unwrap_err(), BadInstance::NoSuchTable(1));
    }

    #[test]
    fn a_table_taken_before_is_left_alone() {
        // Two tables; in slot 0 table 0 is taken by an earlier meeting, slot 1 is a break.
        let instance = Instance {
            slots: 2,
            breaks: vec![1],
            tables: 2,
            people: 6,
            tables_busy: vec![(0, 0)],
            wishes: (0..3).map(|i| Wish { a: 2 * i, b: 2 * i + 1, must: i == 0 }).collect(),
            ..Instance::default()
        };
        let schedule = schedule(&instance).unwrap();
        verify(&instance, &schedule);
        assert_eq!(schedule.meetings.len(), 1);
        assert_eq!(schedule.meetings[0].table, 1);
        assert!(schedule.meetings[0].wish.must);
        assert!(schedule.unplaced.iter().all(|(_, why)| *why == Why::NoTable));
    }
}
