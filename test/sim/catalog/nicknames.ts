/**
 * Common English given-name nicknames (formal name → usual short forms), the pairs people actually register under
 * when they sign up twice. Lookups are case-insensitive and work both ways, since either form can be the original.
 */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  Abigail: ['Abby', 'Gail'],
  Abraham: ['Abe'],
  Albert: ['Al', 'Bert'],
  Alexander: ['Alex', 'Sandy', 'Xander'],
  Alexandra: ['Alex', 'Lexi', 'Sandra'],
  Alfred: ['Alf', 'Fred'],
  Allison: ['Ally'],
  Andrew: ['Andy', 'Drew'],
  Angela: ['Angie'],
  Anthony: ['Tony'],
  Arthur: ['Art'],
  Barbara: ['Barb', 'Babs'],
  Benjamin: ['Ben', 'Benny'],
  Bernard: ['Bernie'],
  Beverly: ['Bev'],
  Bradley: ['Brad'],
  Catherine: ['Cathy', 'Kate', 'Katie'],
  Charles: ['Charlie', 'Chuck', 'Chas'],
  Charlotte: ['Lottie', 'Charlie'],
  Christina: ['Chris', 'Tina'],
  Christine: ['Chris', 'Chrissy'],
  Christopher: ['Chris', 'Kit'],
  Clifford: ['Cliff'],
  Cynthia: ['Cindy'],
  Daniel: ['Dan', 'Danny'],
  David: ['Dave', 'Davey'],
  Deborah: ['Debbie', 'Deb'],
  Donald: ['Don', 'Donnie'],
  Dorothy: ['Dot', 'Dottie'],
  Douglas: ['Doug'],
  Edward: ['Ed', 'Eddie', 'Ted', 'Ned'],
  Eleanor: ['Ellie', 'Nell'],
  Elizabeth: ['Liz', 'Beth', 'Betty', 'Lizzie', 'Eliza'],
  Emily: ['Em', 'Emmy'],
  Eugene: ['Gene'],
  Frances: ['Fran', 'Frannie'],
  Francis: ['Frank'],
  Frederick: ['Fred', 'Freddie'],
  Gabriel: ['Gabe'],
  Gerald: ['Gerry', 'Jerry'],
  Gregory: ['Greg'],
  Harold: ['Hal', 'Harry'],
  Henry: ['Hank', 'Harry'],
  Isabella: ['Bella', 'Izzy'],
  Jacob: ['Jake'],
  James: ['Jim', 'Jimmy', 'Jamie'],
  Janet: ['Jan'],
  Jeffrey: ['Jeff'],
  Jennifer: ['Jen', 'Jenny'],
  Jessica: ['Jess', 'Jessie'],
  John: ['Jack', 'Johnny'],
  Jonathan: ['Jon', 'Jonny'],
  Joseph: ['Joe', 'Joey'],
  Joshua: ['Josh'],
  Judith: ['Judy'],
  Katherine: ['Kathy', 'Kate', 'Katie', 'Kay'],
  Kenneth: ['Ken', 'Kenny'],
  Kimberly: ['Kim'],
  Lawrence: ['Larry'],
  Leonard: ['Len', 'Leo'],
  Margaret: ['Peggy', 'Maggie', 'Meg', 'Marge'],
  Matthew: ['Matt'],
  Michael: ['Mike', 'Mikey', 'Mick'],
  Nathaniel: ['Nate', 'Nat'],
  Nicholas: ['Nick', 'Nicky'],
  Pamela: ['Pam'],
  Patricia: ['Pat', 'Patty', 'Trish'],
  Patrick: ['Pat', 'Paddy'],
  Peter: ['Pete'],
  Philip: ['Phil'],
  Rebecca: ['Becky', 'Becca'],
  Richard: ['Rick', 'Dick', 'Rich'],
  Robert: ['Bob', 'Rob', 'Bobby', 'Robbie'],
  Ronald: ['Ron', 'Ronnie'],
  Samantha: ['Sam', 'Sammy'],
  Samuel: ['Sam', 'Sammy'],
  Stephen: ['Steve'],
  Steven: ['Steve'],
  Susan: ['Sue', 'Susie'],
  Theodore: ['Ted', 'Teddy', 'Theo'],
  Thomas: ['Tom', 'Tommy'],
  Timothy: ['Tim', 'Timmy'],
  Victoria: ['Vicky', 'Tori'],
  Vincent: ['Vince', 'Vinny'],
  Walter: ['Walt', 'Wally'],
  William: ['Bill', 'Will', 'Billy', 'Liam'],
  Zachary: ['Zach', 'Zack'],
};

const variantsByName = buildIndex();

function buildIndex(): Map<string, string[]> {
  const index = new Map<string, Set<string>>();
  const link = (from: string, to: string) => {
    const key = from.toLowerCase();
    const set = index.get(key) ?? new Set<string>();
    set.add(to);
    index.set(key, set);
  };
  for (const [formal, shorts] of Object.entries(NICKNAMES)) {
    for (const short of shorts) {
      link(formal, short);
      link(short, formal);
    }
  }
  return new Map([...index].map(([key, set]) => [key, [...set]]));
}

/** The other names `name` is commonly known by (nicknames of a formal name, formal names of a nickname). */
export function nameVariants(name: string): readonly string[] {
  return variantsByName.get(name.trim().toLowerCase()) ?? [];
}

/** True when `a` and `b` are the same given name or a known formal/nickname pair. */
export function areNameVariants(a: string, b: string): boolean {
  const left = a.trim().toLowerCase();
  const right = b.trim().toLowerCase();
  if (left === right) return true;
  return nameVariants(left).some((variant) => variant.toLowerCase() === right);
}
