export default function Dashboard() {
  return <main className="p-8">Remediation console</main>;
}
