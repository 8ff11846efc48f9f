/**
 * The Data Processing Agreement shown before a connection stores anything (as Plauti Cloud asks for it). OrgLink is
 * self-hosted, so the processor is the OrgLink installation run by the admin's own organisation; the terms say what
 * it does with the org's data and what it never does.
 */
export const DPA_VERSION = '2025-06';

export const DPA_SECTIONS: readonly { heading: string; text: string }[] = [
  {
    heading: 'Roles',
    text: "Your team is the controller of the data in the connected org. This OrgLink server processes it only on your team's instructions: the connections, sync, activity and Duplicate Check jobs your admins set up.",
  },
  {
    heading: 'Data processed',
    text: 'The records the jobs read or write (such as contacts, leads and accounts: names, e-mail addresses, phone numbers and the other fields you map), the object and field descriptions needed to map them, and per-record job results.',
  },
  {
    heading: 'Where and how',
    text: "On the server that runs OrgLink, which your organisation operates. The org's tokens are encrypted at rest (AES-256-GCM), are never sent to the browser extension and never written to logs. OrgLink talks to the org only through its official APIs over the connection the CRM provides.",
  },
  {
    heading: 'Sub-processors and transfers',
    text: 'None. OrgLink sends the org’s data nowhere except back to the org and to the sources your team links to it (such as a Catalog account).',
  },
  {
    heading: 'Retention and deletion',
    text: 'Job history and per-record results are kept until your team deletes them. Deleting the connection discards its tokens at once (and revokes them where the CRM allows it); the job history stays, under the connection’s name.',
  },
  {
    heading: 'Security and incidents',
    text: 'Only members of your team, with their own API tokens, can use the connection; viewers can only read. A personal-data breach affecting the connection is reported to your team’s owners without undue delay.',
  },
  {
    heading: 'Ending access',
    text: 'You can end OrgLink’s access at any time: delete the connection in OrgLink, or revoke the app in the CRM (Salesforce: Connected Apps OAuth Usage; Microsoft Entra ID: Enterprise applications).',
  },
];
