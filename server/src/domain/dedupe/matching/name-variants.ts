/**
 * English given names and their nicknames and spelling variants, OrgLink's own list (the test data generator keeps a
 * separate one on purpose: a matcher built from the generator's list would only measure itself).
 *
 * Each line is one group: the formal name first, then the names that stand for it. Two names are variants when they
 * share a group. A name can sit in several groups (chris: Christopher, Christian, Christine, Christina), and a
 * nickname shared by two formal names does not make those formal names variants of each other (Jon is short for John
 * and for Jonathan; John and Jonathan stay different people).
 */
const GROUPS = `
aaron ron ronnie
abel abe
abigail abby abbie abbey nabby gail
abraham abe bram abram
ada addie
adelaide addie adele della heidi
adeline addie adie aline
adrian ade adrien
adrienne adrianna adriana
agatha aggie
agnes aggie nessa nessie
albert al bert bertie
alberta bertie allie
alexander alex al alec alick xander sandy sasha lex alexis
alexandra alex alexa alix ali allie lexi lexie sandy sasha zandra
alexis lexi lexie alex
alfred al alf alfie fred freddie
alice allie ally alicia alyce elsie
alison allison alyson allie ally
allan alan allen al
alonzo lon lonnie alonso
althea thea
alvin al alvan
amanda mandy manda
ambrose brose
amelia amy millie mel emilia
amy amie aimee
anastasia ana stacy stacey tasia
andrea andie andi
andrew andy drew andre
angela angie angel angelina
angelica angie
ann anne anna annie nan nanny nancy hannah anita
annabelle annabel belle annie
anthony tony antony anton
antoinette toni netta nettie
antonia toni tonia
archibald archie
arnold arnie
arthur art artie
augusta gussie gus augustina
augustine austin gus
augustus gus gussie august
barbara barb barbie babs bobbie
barnabas barney
bartholomew bart bat
beatrice bea trixie bee beatrix
belinda linda belle
benedict ben benny
benjamin ben benny benji
bernadette bernie detta
bernard bernie barney
bernice bernie
bertha bertie birdie
bertram bert bertie
beverly bev beverley
bradford brad ford
bradley brad
bridget biddy bridie bree brigid brigitte
broderick rick ricky brody
calvin cal
cameron cam
camille cammie millie
candace candy candice
caroline carol carrie caro callie carolyn carolina lina
cassandra cass cassie sandy
catherine cathy cath kate katie kathy cat kitty kat katherine kathryn katharine catharine kathleen cathleen caitlin kay
cecilia cece celia cissy sissy cecily
charles charlie chuck chas chaz chip carl
charlotte charlie lottie lotte carlotta
chester chet
christian chris kit
christina chris chrissy tina christine kristina kris kirsten
christine chris chrissy tina christina kristine
christopher chris kit topher kristopher cristopher christoph
clarence clare
clarissa clara claire cissy
clayton clay
clement clem
clifford cliff
clinton clint
conrad connie con
constance connie
cordelia delia cordy
cornelia nell nellie connie
cornelius neil con corny
curtis curt
cynthia cindy cyndi
cyrus cy
daniel dan danny
daphne daph
david dave davy davey
deborah debbie deb debra debby
delbert del bert
dennis denny denis
derek derrick rick
desmond des
diana diane di dee dianne
dolores lola dee dodie
dominic dom nic nick dominick
donald don donnie
dorothy dot dottie dora dolly dorothea
douglas doug
drusilla dru silla
duncan dunc
edgar ed eddie ned
edith edie edy
edmund ed eddie ned ted edmond
edward ed eddie ned ted teddy ward
edwin ed eddie ned
eleanor ellie nell nellie nora elle elaine leonora lenore ella elinor
elijah eli lige
elias eli
elizabeth liz lizzie liza beth betty bess bessie betsy lisa libby eliza elisa elise elsie ellie lizbeth elisabeth buffy
ella ellie
elmer elm
emanuel manny immanuel emmanuel manuel
emily em emmy millie emilie
emma em emmy
eric rick ricky erik
erica rica ricky erika
ernest ernie
esther essie hester hetty
estelle stella
eugene gene
eugenia gena genie
eunice nicey
eva eve evie
evangeline eva vangie angie
evelyn eve evie lynn
everett ev
ezekiel zeke
felicity flick fliss
ferdinand ferdie ferd fred
florence flo flossie
frances fran francie frankie fanny francine
francis frank frankie fran
franklin frank
frederica freda freddie ricky
frederick fred freddie freddy fritz rick
gabriel gabe
gabrielle gabby gabi gabriela gabriella
gareth gary
genevieve gen jenny ginny
geoffrey geoff jeff jeffrey jeffery
georgia georgie georgina
gerald gerry jerry
geraldine gerry geri jerry dina
gertrude gertie trudy trudi
gideon gid
gilbert gil bert
gillian jill gill
gloria glory
gordon gordie
gregory greg
gustave gus
gwendolyn gwen wendy
harold harry hal
harriet hattie hatty
harrison harry
harvey harv
helen helena nell nellie lena ellen elaine ellie
henrietta etta hetty retta hennie
henry hank harry hal hen
herbert herb bert
hezekiah hez
hilary hillary
horace horry
howard howie
hubert hugh bert
hugh hughie hugo
ignatius iggy
irene rena
irving irv
isaac ike
isabel isabella bella belle izzy isabelle isobel ibby
isaiah ike
jacob jake jakob
jacqueline jackie jacqui jacquelyn
james jim jimmy jamie jem
jane janie jenny jan jean jeanne joan
janet jan jenny nettie
jasper jas
jean jeanie jeannie jeanne
jefferson jeff
jeffrey jeff geoffrey jeffery
jemima jem mima
jennifer jen jenny jenn jennie
jeremiah jerry jeremy
jeremy jerry jem
jerome jerry
jessica jess jessie
joan joanie jo joann joanne joanna
john jack johnny jon jonny
jonathan jon jonny nathan nate
josephine jo josie jody joey
joseph joe joey jo jos
joshua josh
josiah joe
judith judy jude
julia julie jules juliana julianne
julian jules
juliet julie jules
katrina kat kate trina
kenneth ken kenny
kevin kev
kimberly kim kimmie kimberley
laura laurie lora lauren
lauren laurie ren
lawrence larry laurence laurie
leah lea lee
leonard leo len lenny leon
leonora leona nora lenora
leopold leo
leslie les
letitia lettie tish letty
lillian lily lil lillie lilly
lionel leo
louis lou louie lewis luis
louisa lou lulu louise
louise lou lulu louisa
lucas luke
lucille lucy lu lucile
lucinda lucy cindy
lucius lucky
lucy lu lucia luce
luke lucas
lydia liddy
mabel mab mabs
madeline maddie maddy madeleine madelyn lena
madison maddie maddy
malcolm mal mac
marcia marcy marsha
marcus marc mark
margaret peggy maggie meg marge margie greta gretchen daisy madge maisie molly peg megan margo margot rita
marjorie marge margie jorie
maria mary mia
marian marion mary
marilyn mary lyn
mark marc marcus
martha marty patty mattie
martin marty
marvin marv
mary polly molly mae mamie mimi maria mariah marie may minnie
matilda mattie tilly tillie maud mathilda
matthew matt matty
maureen mo
maximilian max
maxine max
maxwell max
melanie mel
melinda mindy linda mel
melissa missy mel lissa
melvin mel
michael mike mick mikey mickey mitch micky
michelle shelly michele mickey
mildred millie milly
millicent millie milly
milton milt
minerva minnie
miranda randi randy mira
miriam mimi mitzi
mitchell mitch
montgomery monty
mortimer mort morty
morris morrie maurice
nancy nan ann
natalie nat natty talia nathalie
nathan nate nat
nathaniel nate nat nathan natty
nelson nels
neville nev
nicholas nick nicky nico nicolas niklas klaus
nicole nicki nikki nic cole nicola
norman norm
octavia tavia
oliver ollie
olivia liv livvy ollie
oscar ozzie
oswald ozzie oz
pamela pam pammy
patricia pat patty patsy trish tricia trisha
patrick pat paddy patsy rick
paul paulie
pauline paula polly
penelope penny
percival percy
peter pete
philip phil pip phillip
philippa pippa pip
phineas finn
phyllis phil
priscilla prissy cilla
prudence prue
quentin quinn
rachel rachael shelly rae
randolph randy dolph
raymond ray
rebecca becky becca reba
reginald reggie reg rex
regina reggie gina
reuben rube ruben
richard rich rick ricky dick rickey richie
robert bob bobby rob robbie bert robin
roberta bobbie robbie bobby berta
roderick rod roddy rick
rodney rod
roger rog
roland rollo rolly
ronald ron ronnie
rosalind roz rosa rosie
rosemary rose rosie romy
roxanne roxy
rudolph rudy rolf dolph
rupert rupe
russell russ rusty
ruth ruthie
samantha sam sammy
samuel sam sammy
sandra sandy sandi
sarah sara sally sadie sal
sebastian seb bastian
sharon shari shar
sheldon shelly shel
shirley shirl
sidney sid sydney
simon si
solomon sol sal
sophia sophie sofia
spencer spence
stanley stan
stephanie steph stevie
stephen steve steven stevie steph
stuart stu stewart
susan sue susie suzy suzanne susanna
suzanne sue susie suzy susan
sylvester sly vester
sylvia syl
tabitha tabby
tamara tammy
terence terry terrence
teresa terri terry tess tessa tessie theresa tracy
thaddeus thad tad
theodora theo dora teddy
theodore ted teddy theo
thomas tom tommy thom
tiffany tiff
timothy tim timmy
tobias toby
tyrone ty
valentine val
valerie val
vanessa nessa
vernon vern
veronica ronnie roni nica
victor vic
victoria vicky vickie tori vic
vincent vince vinny vin
virginia ginny ginger jinny
vivian viv vivien
walter walt wally
wallace wally
wesley wes
wilbur will
wilfred fred wil
wilhelmina mina minnie willa billie wilma
william bill billy will willy willie liam wil
winifred winnie freda
winston win
yvonne vonnie
zachary zach zack zak
zebedee zeb
`;

interface VariantDictionary {
  readonly groupsByName: ReadonlyMap<string, readonly number[]>;
  readonly formalNames: readonly string[];
}

function buildDictionary(text: string): VariantDictionary {
  const groupsByName = new Map<string, number[]>();
  const formalNames: string[] = [];
  for (const line of text.split('\n')) {
    const names = line.trim().split(/\s+/u).filter(Boolean);
    const formal = names[0];
    if (formal === undefined) continue;
    const groupId = formalNames.length;
    formalNames.push(formal);
    for (const name of new Set(names)) {
      const groups = groupsByName.get(name);
      if (groups === undefined) groupsByName.set(name, [groupId]);
      else groups.push(groupId);
    }
  }
  return { groupsByName, formalNames };
}

const DICTIONARY = buildDictionary(GROUPS);

/** How many groups (formal names) the dictionary holds. */
export const VARIANT_GROUP_COUNT = DICTIONARY.formalNames.length;

/** The groups a folded, single-word or whole given name belongs to; [] when the dictionary does not know it. */
export function variantGroupsOf(foldedName: string): readonly number[] {
  return DICTIONARY.groupsByName.get(foldedName) ?? [];
}

/** The formal name of a group, e.g. "william". */
export function formalNameOf(groupId: number): string {
  return DICTIONARY.formalNames[groupId] ?? '';
}

/** Whether two folded names are known variants of one another (or the same name). */
export function areNameVariants(a: string, b: string): boolean {
  if (a === b) return true;
  const groupsB = variantGroupsOf(b);
  return variantGroupsOf(a).some((group) => groupsB.includes(group));
}
