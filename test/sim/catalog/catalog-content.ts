import type { Faker } from '@faker-js/faker';
import type { Rng } from './rng.ts';
import type { CatalogUserRecord } from './user-record.ts';

/** A catalog or subcatalog (`admin/accounts` calls them DomainAccount / PortalAccount). */
export interface CatalogRecord {
  id: number;
  name: string;
  parent_id: number | null;
  path: string;
}

/** A course listing, with the fields of `GET /api/v1/courses` that the simulator fills. */
export interface CourseRecord {
  id: number;
  title: string;
  catalogId: number;
  visibility: 'listed' | 'unlisted';
  enrollment_open: boolean;
  enrollment_open_from: string | null;
  enrollment_open_to: string | null;
  enrollment_cap: number | null;
  description: string;
  short_description: string;
  enrollment_fee: number;
  currency: string;
  credits: number | null;
  measurement: string | null;
  listing_path: string;
  listing_image: string | null;
  list_order: number;
  waitlist: boolean;
  waitlist_cap: number | null;
  sku: string;
  show_free_banner: boolean;
  allowed_payment_types: string[];
  tag_names: string[];
  start_date: string | null;
  end_date: string | null;
  canvas_section_id: number;
  canvas_course_id: number;
  created_at: number;
}

/** An enrollment of a user in a listing. The API's field list is not public; see README. */
export interface EnrollmentRecord {
  id: number;
  user_id: number;
  canvas_user_id: number;
  listing_id: number;
  created_at: number;
  updated_at: number;
}

const SUBJECTS = [
  'Project Management',
  'Data Analytics',
  'Python Programming',
  'Leadership',
  'Nonprofit Finance',
  'Cybersecurity',
  'Instructional Design',
  'Grant Writing',
  'Digital Marketing',
  'Supply Chain Management',
  'Public Speaking',
  'UX Research',
  'Healthcare Administration',
  'Spanish for Professionals',
  'Machine Learning',
  'Accounting',
];
const LEVELS = ['Introduction to', 'Foundations of', 'Applied', 'Advanced', 'Certificate in', 'Essentials of'];
const TAGS = ['professional-development', 'online', 'self-paced', 'cohort', 'ceu', 'certificate', 'free', 'new'];

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function seedCatalogs(rootId: number, name: string, subcatalogs: readonly string[]): CatalogRecord[] {
  return [
    { id: rootId, name, parent_id: null, path: '' },
    ...subcatalogs.map((sub, index) => ({ id: rootId + index + 1, name: sub, parent_id: rootId, path: slug(sub) })),
  ];
}

export function seedCourses(
  faker: Faker,
  rng: Rng,
  catalogs: readonly CatalogRecord[],
  count: number,
  seededUntil: number,
): CourseRecord[] {
  const courses: CourseRecord[] = [];
  const usedTitles = new Set<string>();
  let canvasCourseId = rng.int(100, 900);
  const firstId = rng.int(10, 400);
  for (let i = 0; i < count; i += 1) {
    const subject = rng.pick(SUBJECTS);
    let title = `${rng.pick(LEVELS)} ${subject}`;
    while (usedTitles.has(title)) title = `${title} ${['II', 'III', 'IV'][rng.int(0, 2)]}`;
    usedTitles.add(title);
    const catalog = rng.pick(catalogs);
    const fee = rng.chance(0.3) ? 0 : rng.pick([49, 99, 149, 199, 299, 495, 750]);
    const start = seededUntil + rng.int(-120, 120) * 86_400_000;
    const cohort = rng.chance(0.5);
    const weeks = rng.pick([4, 6, 8, 10]);
    const instructor = `${faker.person.firstName()} ${faker.person.lastName()}`;
    canvasCourseId += rng.int(1, 40);
    courses.push({
      id: firstId + i,
      title,
      catalogId: catalog.id,
      visibility: rng.chance(0.85) ? 'listed' : 'unlisted',
      enrollment_open: rng.chance(0.8),
      enrollment_open_from: null,
      enrollment_open_to: null,
      enrollment_cap: rng.chance(0.3) ? rng.pick([20, 25, 30, 50]) : null,
      description:
        `<p>A ${weeks}-week ${cohort ? 'cohort' : 'self-paced'} course in ${subject.toLowerCase()} for working ` +
        `professionals, taught by ${instructor}.</p><p>Includes weekly assignments and a certificate of completion.</p>`,
      short_description: `${weeks} weeks · ${cohort ? 'cohort-based' : 'self-paced'} · ${instructor}`,
      enrollment_fee: fee,
      currency: 'USD',
      credits: rng.chance(0.5) ? rng.pick([1, 1.5, 2, 3]) : null,
      measurement: rng.chance(0.5) ? 'CEU' : null,
      listing_path: slug(title),
      listing_image: null,
      list_order: i + 1,
      waitlist: rng.chance(0.2),
      waitlist_cap: null,
      sku: `SKU-${String(firstId + i).padStart(5, '0')}`,
      show_free_banner: fee === 0,
      allowed_payment_types: fee === 0 ? [] : ['credit_card'],
      tag_names: TAGS.filter((tag) => (tag === 'free' ? fee === 0 : rng.chance(0.25))),
      start_date: cohort ? new Date(start).toISOString() : null,
      end_date: cohort ? new Date(start + weeks * 7 * 86_400_000).toISOString() : null,
      canvas_section_id: canvasCourseId * 3 + 7,
      canvas_course_id: canvasCourseId,
      created_at: seededUntil - rng.int(30, 900) * 86_400_000,
    });
  }
  return courses;
}

/** Enrolls about one user in three in one to three listings, after they registered. */
export function seedEnrollments(
  rng: Rng,
  users: readonly CatalogUserRecord[],
  courses: readonly CourseRecord[],
  seededUntil: number,
): EnrollmentRecord[] {
  const enrollments: EnrollmentRecord[] = [];
  if (courses.length === 0) return enrollments;
  const firstId = rng.int(1000, 9000);
  for (const user of users) {
    if (!rng.chance(0.35)) continue;
    const taken = new Set<number>();
    for (let n = rng.int(1, 3); n > 0; n -= 1) {
      const course = rng.pick(courses);
      if (taken.has(course.id)) continue;
      taken.add(course.id);
      const created = user.created_at + Math.floor(rng.next() * (seededUntil - user.created_at));
      enrollments.push({
        id: 0,
        user_id: user.id,
        canvas_user_id: user.canvas_user_id,
        listing_id: course.id,
        created_at: created,
        updated_at: created,
      });
    }
  }
  enrollments.sort((a, b) => a.created_at - b.created_at);
  enrollments.forEach((enrollment, index) => {
    enrollment.id = firstId + index;
  });
  return enrollments;
}
