import type { CatalogRecord, CourseRecord, EnrollmentRecord } from './catalog-content.ts';
import type { CatalogUserRecord } from './user-record.ts';

/**
 * The API's example shows created_at with milliseconds (`2024-04-11T15:33:45.503Z`) and updated_at with
 * microseconds (`2024-04-11T15:33:45.563514Z`); both are reproduced so clients parse what they will really get.
 */
export function isoMillis(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function isoMicros(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The `user` object, keys in the documented order. */
export function userResource(user: CatalogUserRecord) {
  return {
    id: user.id,
    root_account_id: user.root_account_id,
    canvas_user_id: user.canvas_user_id,
    registered_account_id: user.registered_account_id,
    canvas_root_account_uuid: user.canvas_root_account_uuid,
    canvas_user_uuid: user.canvas_user_uuid,
    user_name: user.user_name,
    first_name: user.first_name,
    last_name: user.last_name,
    email_address: user.email_address,
    custom_fields: { ...user.custom_fields },
    created_at: isoMillis(user.created_at),
    updated_at: isoMicros(user.updated_at),
    merged_into_user_id: user.merged_into_user_id,
    time_zone: user.time_zone,
  };
}

export type UserResource = ReturnType<typeof userResource>;

export function courseResource(course: CourseRecord, catalog: CatalogRecord | undefined, baseUrl: string) {
  const catalogPath = catalog?.path ? `/browse/${catalog.path}` : '';
  return {
    id: course.id,
    visibility: course.visibility,
    enrollment_open: course.enrollment_open,
    enrollment_open_from: course.enrollment_open_from,
    enrollment_open_to: course.enrollment_open_to,
    enrollment_cap: course.enrollment_cap,
    description: course.description,
    short_description: course.short_description,
    enrollment_fee: course.enrollment_fee,
    currency: course.currency,
    credits: course.credits,
    measurement: course.measurement,
    listing_path: course.listing_path,
    listing_url: `${baseUrl}${catalogPath}/courses/${course.listing_path}`,
    listing_image: course.listing_image,
    catalog: { id: catalog?.id ?? course.catalogId, name: catalog?.name ?? '' },
    type: 'Course',
    title: course.title,
    list_order: course.list_order,
    waitlist: course.waitlist,
    waitlist_cap: course.waitlist_cap,
    sku: course.sku,
    show_free_banner: course.show_free_banner,
    allowed_payment_types: [...course.allowed_payment_types],
    tag_names: [...course.tag_names],
    start_date: course.start_date,
    end_date: course.end_date,
    canvas_section_id: course.canvas_section_id,
    associated_account_ids: [course.catalogId],
    canvas_course: { id: course.canvas_course_id },
  };
}

export function catalogResource(catalog: CatalogRecord) {
  return { id: catalog.id, name: catalog.name, parent_id: catalog.parent_id, path: catalog.path };
}

export function enrollmentResource(enrollment: EnrollmentRecord) {
  return {
    id: enrollment.id,
    user_id: enrollment.user_id,
    canvas_user_id: enrollment.canvas_user_id,
    listing_id: enrollment.listing_id,
    created_at: isoMillis(enrollment.created_at),
    updated_at: isoMillis(enrollment.updated_at),
  };
}
